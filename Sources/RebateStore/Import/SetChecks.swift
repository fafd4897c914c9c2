/// SQL for checks that look at the whole file or the database at once. Each returns one
/// `INSERT INTO import_problems` statement over the typed rows `r` of `import_rows`.
enum SetChecks {
  static func problem(
    _ fields: [ImportField], column: String, value: String, code: String, reason: String,
    from: String
  ) -> String {
    """
    INSERT INTO import_problems (line_no, col_order, col, val, code, reason)
    SELECT r.line_no, \(ImportField.position(of: column, in: fields)), '\(column)', \(value), '\(code)', \(reason)
    \(from)
    """
  }

  /// A value that must exist in another table (`dealer` in `dealers.dealer_id`).
  static func mustExist(
    _ fields: [ImportField], column: String, table: String, key: String, code: String,
    reason: String
  ) -> String {
    problem(
      fields, column: column, value: "r.\(column)", code: code, reason: "'\(reason)'",
      from: """
        FROM import_rows r
        WHERE r.\(column) IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM \(table) t WHERE t.\(key) = r.\(column))
        """)
  }

  /// Rows repeating a key inside the file; each repeat names the first line with that key.
  static func unique(_ fields: [ImportField], keys: [String], report column: String) -> String {
    let partition = keys.map { "r.\($0)" }.joined(separator: ", ")
    let present = keys.map { "r.\($0) IS NOT NULL" }.joined(separator: " AND ")
    let keyNames = keys.joined(separator: ", ")
    return problem(
      fields, column: column, value: "r.\(column)::text", code: "E-IMPORT-DUPLICATE",
      reason: "'duplicate \(keyNames): first on line ' || r.first_line",
      from: """
        FROM (SELECT r.*, min(r.line_no) OVER (PARTITION BY \(partition)) AS first_line
              FROM import_rows r WHERE \(present)) r
        WHERE r.line_no <> r.first_line
        """)
  }
}
