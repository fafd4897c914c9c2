import Close
import RebateCore

/// The stored JSON of an explanation (the shape `ExplanationJSON` reads back), written by hand:
/// Foundation's serializer cost three quarters of a close's time (bridging every value).
enum CloseExplanationJSON {
  static func encode(_ explanation: Explanation) -> String {
    var out = "{\"formula\":" + jsonQuoted(explanation.formula) + ",\"inputs\":["
    for (index, input) in explanation.inputs.enumerated() {
      out +=
        (index > 0 ? "," : "") + "{\"name\":" + jsonQuoted(input.name) + ",\"value\":"
        + jsonQuoted(input.value) + "}"
    }
    out += "],\"note\":" + (explanation.note.map(jsonQuoted) ?? "null")
    out +=
      ",\"rule\":" + jsonQuoted(explanation.rule) + ",\"sources\":"
      + sources(explanation.sources)
    return out + "}"
  }

  static func sources(_ sources: [SourceDocument]) -> String {
    var out = "["
    out.reserveCapacity(sources.count * 80)
    for (index, source) in sources.enumerated() {
      if index > 0 { out.append(",") }
      out.append("{\"amount_minor\":")
      out.append(source.amount.map { String($0.minor) } ?? "null")
      out.append(",\"day\":")
      out.append(source.day.map { "\"\($0)\"" } ?? "null")
      out.append(",\"kind\":")
      out.append(jsonQuoted(source.kind))
      out.append(",\"number\":")
      out.append(jsonQuoted(source.number))
      out.append("}")
    }
    out.append("]")
    return out
  }
}
