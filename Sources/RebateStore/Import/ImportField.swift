/// One column of an import file and the rule its text must follow. The rule becomes SQL that
/// checks a whole staging table in one pass (`checkSQL`) and a cast that types it (`typedSQL`).
struct ImportField: Sendable {
  enum Kind: Sendable {
    /// Free text, at most `maxTextLength` characters.
    case text
    /// One of a fixed set of words.
    case choice([String])
    /// Money, `1234.50`: at most two decimals, not negative; typed as bigint minor units.
    case amount
    /// Money that must be above zero.
    case positiveAmount
    /// A whole number above zero.
    case positiveInteger
    /// `YYYY-MM-DD`, a real calendar day.
    case date
    /// A percentage such as `20` or `12.5`, below 100.
    case percent
  }

  /// Longest text value accepted, in characters.
  static let maxTextLength = 200

  let name: String
  let kind: Kind
  let required: Bool

  init(_ name: String, _ kind: Kind, required: Bool = true) {
    precondition(name.allSatisfy { $0.isLowercase || $0 == "_" }, "column names are identifiers")
    self.name = name
    self.kind = kind
    self.required = required
  }

  /// The 1-based position of a column, so problems list in file order.
  static func position(of column: String, in fields: [ImportField]) -> Int {
    guard let index = fields.firstIndex(where: { $0.name == column }) else {
      preconditionFailure("no column \(column)")
    }
    return index + 1
  }

  /// The trimmed text of this column in staging row `s`, NULL when empty.
  var raw: String { "nullif(btrim(s.\(name)), '')" }

  /// SQL giving NULL when the value is acceptable, else `'E-IMPORT-CODE|reason'`.
  var checkSQL: String {
    let missing = required ? "'E-IMPORT-REQUIRED|is required'" : "NULL"
    return "CASE WHEN \(raw) IS NULL THEN \(missing) \(invalidBranches) END"
  }

  private var invalidBranches: String {
    let amountPattern = "'^[0-9]{1,15}([.][0-9]{1,2})?$'"
    let amountReason = "is not an amount like 1234.50 (dot decimals, at most 2, not negative)"
    switch kind {
    case .text:
      return "WHEN length(\(raw)) > \(ImportField.maxTextLength) "
        + "THEN 'E-IMPORT-VALUE|is longer than \(ImportField.maxTextLength) characters'"
    case .choice(let words):
      let list = words.map { "'\($0)'" }.joined(separator: ", ")
      return "WHEN \(raw) NOT IN (\(list)) "
        + "THEN 'E-IMPORT-VALUE|must be one of \(words.joined(separator: ", "))'"
    case .amount:
      return "WHEN \(raw) !~ \(amountPattern) THEN 'E-IMPORT-NUMBER|\(amountReason)'"
    case .positiveAmount:
      return "WHEN \(raw) !~ \(amountPattern) THEN 'E-IMPORT-NUMBER|\(amountReason)' "
        + "WHEN \(raw)::numeric = 0 THEN 'E-IMPORT-NUMBER|must be above zero'"
    case .positiveInteger:
      return "WHEN \(raw) !~ '^[0-9]{1,12}$' THEN 'E-IMPORT-NUMBER|is not a whole number' "
        + "WHEN \(raw)::bigint = 0 THEN 'E-IMPORT-NUMBER|must be above zero'"
    case .date:
      return "WHEN NOT import_is_date(\(raw)) "
        + "THEN 'E-IMPORT-DATE|is not a date YYYY-MM-DD that exists'"
    case .percent:
      return "WHEN \(raw) !~ '^[0-9]{1,2}([.][0-9]{1,4})?$' "
        + "THEN 'E-IMPORT-NUMBER|is not a percentage below 100 like 20 or 12.5'"
    }
  }

  /// The typed value, NULL when empty or invalid (the check reported it), so later set checks
  /// run on every row and never trip over bad text. `allValid` (no cell had a problem) skips
  /// the re-check: the common case pays for each rule once.
  func typedSQL(allValid: Bool) -> String {
    allValid ? "\(cast) AS \(name)" : "CASE WHEN (\(checkSQL)) IS NULL THEN \(cast) END AS \(name)"
  }

  private var cast: String {
    switch kind {
    case .text, .choice: return raw
    case .amount, .positiveAmount: return "(\(raw)::numeric * 100)::bigint"
    case .positiveInteger: return "\(raw)::bigint"
    case .date: return "\(raw)::date"
    case .percent: return "\(raw)::numeric"
    }
  }
}
