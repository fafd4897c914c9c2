import RebateCore

/// Hand-written JSON (the pure core has no Foundation): keys in the order given, so the same
/// statement is always the same bytes. Values are rendered JSON texts.
enum JSONText {
  static func string(_ text: String) -> String {
    // Most text needs no escaping: one scan of the bytes instead of a copy per scalar.
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      return "\"" + text + "\""
    }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  static func object(_ fields: [(String, String)]) -> String {
    "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
  }

  static func array(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }

  static func optional(_ text: String?) -> String { text.map(string) ?? "null" }

  /// Money as an exact decimal string: JSON numbers are read as doubles by too many tools.
  static func money(_ amount: Money) -> String { string(amount.description) }

  static func explanation(_ explanation: Explanation) -> String {
    object([
      ("rule", string(explanation.rule)),
      (
        "inputs",
        array(
          explanation.inputs.map {
            object([("name", string($0.name)), ("value", string($0.value))])
          }
        )
      ),
      ("formula", string(explanation.formula)),
      ("sources", array(explanation.sources.map(source))),
      ("note", optional(explanation.note)),
    ])
  }

  static func source(_ source: SourceDocument) -> String {
    object([
      ("kind", string(source.kind)), ("number", string(source.number)),
      ("day", optional(source.day?.description)),
      ("amount", source.amount.map(money) ?? "null"),
    ])
  }
}

/// A JSON string literal of `text`, quoted and escaped.
public func jsonQuoted(_ text: String) -> String { JSONText.string(text) }

/// The JSON form of an explanation, as stored with a result line and shown in statements.
public func explanationJSON(_ explanation: Explanation) -> String {
  JSONText.explanation(explanation)
}
