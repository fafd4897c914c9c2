import Foundation
import RebateCore

/// Explanations are stored as json: readable with SQL by auditors, and read back whole. Written
/// by hand into one byte buffer: Foundation's serializer cost three quarters of a close's time
/// (bridging every value), and string concatenation still a fifth.
enum ExplanationJSON {
  static func encode(_ explanation: Explanation) -> String {
    var out: [UInt8] = []
    append(explanation, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static func append(_ explanation: Explanation, to out: inout [UInt8]) {
    out.reserveCapacity(
      out.count + 256 + explanation.formula.utf8.count + explanation.sources.count * 90)
    func append(_ literal: String) { out.append(contentsOf: literal.utf8) }
    append("{\"formula\":")
    JSONText.appendQuoted(explanation.formula, to: &out)
    append(",\"inputs\":[")
    for (index, input) in explanation.inputs.enumerated() {
      append(index > 0 ? ",{\"name\":" : "{\"name\":")
      JSONText.appendQuoted(input.name, to: &out)
      append(",\"value\":")
      JSONText.appendQuoted(input.value, to: &out)
      append("}")
    }
    append("],\"note\":")
    if let note = explanation.note { JSONText.appendQuoted(note, to: &out) } else { append("null") }
    append(",\"rule\":")
    JSONText.appendQuoted(explanation.rule, to: &out)
    append(",\"sources\":")
    appendSources(explanation.sources, to: &out)
    append("}")
  }

  static func sources(_ sources: [SourceDocument]) -> String {
    var out: [UInt8] = []
    appendSources(sources, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private static func appendSources(_ sources: [SourceDocument], to out: inout [UInt8]) {
    func append(_ literal: String) { out.append(contentsOf: literal.utf8) }
    out.reserveCapacity(out.count + sources.count * 90)
    append("[")
    for (index, source) in sources.enumerated() {
      append(index > 0 ? ",{\"amount_minor\":" : "{\"amount_minor\":")
      append(source.amount.map { String($0.minor) } ?? "null")
      append(",\"day\":")
      if let day = source.day {
        JSONText.appendQuoted(day.description, to: &out)
      } else {
        append("null")
      }
      append(",\"kind\":")
      JSONText.appendQuoted(source.kind, to: &out)
      append(",\"number\":")
      JSONText.appendQuoted(source.number, to: &out)
      append("}")
    }
    append("]")
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
