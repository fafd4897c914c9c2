import Foundation
import RebateCore

/// Explanations are stored as jsonb: readable with SQL by auditors, and read back whole. Written
/// by hand: Foundation's serializer cost three quarters of a close's time (bridging every value).
enum ExplanationJSON {
  static func encode(_ explanation: Explanation) -> String {
    var out = "{\"formula\":" + JSONText.quoted(explanation.formula) + ",\"inputs\":["
    for (index, input) in explanation.inputs.enumerated() {
      out +=
        (index > 0 ? "," : "") + "{\"name\":" + JSONText.quoted(input.name) + ",\"value\":"
        + JSONText.quoted(input.value) + "}"
    }
    out += "],\"note\":" + JSONText.quotedOrNull(explanation.note)
    out +=
      ",\"rule\":" + JSONText.quoted(explanation.rule) + ",\"sources\":"
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
      out.append(JSONText.quoted(source.kind))
      out.append(",\"number\":")
      out.append(JSONText.quoted(source.number))
      out.append("}")
    }
    out.append("]")
    return out
  }

  static func decode(_ text: String, key: String) throws -> Explanation {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      let rule = object["rule"] as? String, let formula = object["formula"] as? String,
      let inputs = object["inputs"] as? [[String: String]],
      let sources = object["sources"] as? [[String: Any]]
    else {
      throw StoreError.corruptValue(
        table: "results", key: key, reason: "explanation is not an explanation object")
    }
    return Explanation(
      rule: rule,
      inputs: inputs.map { ExplanationInput($0["name"] ?? "", $0["value"] ?? "") },
      formula: formula,
      sources: try sources.map { source in
        guard let kind = source["kind"] as? String, let number = source["number"] as? String else {
          throw StoreError.corruptValue(
            table: "results", key: key, reason: "source without kind or number")
        }
        let day = try (source["day"] as? String).map { text in try Day.parse(text) }
        let amount = (source["amount_minor"] as? NSNumber).map { Money(minor: $0.int64Value) }
        return SourceDocument(kind: kind, number: number, day: day, amount: amount)
      },
      note: object["note"] as? String)
  }
}
