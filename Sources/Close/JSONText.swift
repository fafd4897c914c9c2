import RebateCore

/// Hand-written JSON (the pure core has no Foundation): keys in the order given, so the same
/// statement is always the same bytes. Values are rendered JSON texts; strings are quoted by
/// RebateCore's `JSONText.quoted`.
extension JSONText {
  static func object(_ fields: [(String, String)]) -> String {
    "{" + fields.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
  }

  static func array(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }

  /// Money as an exact decimal string: JSON numbers are read as doubles by too many tools.
  static func money(_ amount: Money) -> String { quoted(amount.description) }

  static func explanation(_ explanation: Explanation) -> String {
    object([
      ("rule", quoted(explanation.rule)),
      (
        "inputs",
        array(
          explanation.inputs.map {
            object([("name", quoted($0.name)), ("value", quoted($0.value))])
          }
        )
      ),
      ("formula", quoted(explanation.formula)),
      ("sources", array(explanation.sources.map(source))),
      ("note", quotedOrNull(explanation.note)),
    ])
  }

  static func source(_ source: SourceDocument) -> String {
    object([
      ("kind", quoted(source.kind)), ("number", quoted(source.number)),
      ("day", quotedOrNull(source.day?.description)),
      ("amount", source.amount.map(money) ?? "null"),
    ])
  }
}
