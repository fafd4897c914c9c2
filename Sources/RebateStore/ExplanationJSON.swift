import Foundation
import RebateCore

/// Explanations are stored as jsonb: readable with SQL by auditors, and read back whole.
enum ExplanationJSON {
  static func encode(_ explanation: Explanation) throws -> String {
    let object: [String: Any] = [
      "rule": explanation.rule,
      "inputs": explanation.inputs.map { ["name": $0.name, "value": $0.value] },
      "formula": explanation.formula,
      "sources": sources(explanation.sources),
      "note": explanation.note ?? NSNull(),
    ]
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  static func sources(_ sources: [SourceDocument]) -> [[String: Any]] {
    sources.map { source in
      [
        "kind": source.kind, "number": source.number,
        "day": source.day.map { $0.description } ?? NSNull(),
        "amount_minor": source.amount.map { NSNumber(value: $0.minor) } ?? NSNull(),
      ]
    }
  }

  static func encodeSources(_ sources: [SourceDocument]) throws -> String {
    let data = try JSONSerialization.data(
      withJSONObject: self.sources(sources), options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
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
