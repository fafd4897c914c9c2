/// Prices, price changes and payments: facts identified by a key. The same key with the same
/// values is unchanged; with other values it is `E-IMPORT-CONFLICT` unless `--replace`.
enum KeyedImport {
  typealias Mapping = (file: String, table: String)

  static let prices = format(
    fields: [
      ImportField("sku", .text), ImportField("list_price", .amount),
      ImportField("effective_from", .date),
    ],
    table: "price_list", keys: [("sku", "sku"), ("effective_from", "effective_from")],
    values: [("list_price", "list_price_minor")],
    extraChecks: { fields in [unknownSKU(fields)] })

  static let priceChanges = format(
    fields: [
      ImportField("sku", .text), ImportField("new_list_price", .amount),
      ImportField("effective_date", .date),
    ],
    table: "price_changes", keys: [("sku", "sku"), ("effective_date", "effective_date")],
    values: [("new_list_price", "new_list_price_minor")],
    extraChecks: { fields in [unknownSKU(fields)] })

  static let payments = format(
    fields: [
      ImportField("payment", .text), ImportField("dealer", .text), ImportField("date", .date),
      ImportField("gross_amount", .positiveAmount), ImportField("invoice", .text, required: false),
    ],
    table: "payments", keys: [("dealer", "dealer_id"), ("payment", "payment")],
    values: [("date", "paid_on"), ("gross_amount", "gross_amount_minor"), ("invoice", "invoice")],
    uniqueInFile: ["payment"],
    extraChecks: { fields in
      [
        SetChecks.mustExist(
          fields, column: "dealer", table: "dealers", key: "dealer_id",
          code: "E-IMPORT-UNKNOWN-DEALER", reason: "no such dealer; import dealers first"),
        SetChecks.problem(
          fields, column: "invoice", value: "r.invoice", code: "E-IMPORT-UNKNOWN-INVOICE",
          reason:
            "'no invoice ' || r.invoice || ' of dealer ' || r.dealer || '; import invoices first'",
          from: """
            FROM import_rows r
            WHERE r.invoice IS NOT NULL AND r.dealer IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM invoices i
              WHERE i.dealer_id = r.dealer AND i.document = r.invoice AND i.kind = 'invoice')
            """),
        // Payment numbers are unique across dealers; one never moves to another dealer.
        SetChecks.problem(
          fields, column: "payment", value: "r.payment", code: "E-IMPORT-CONFLICT",
          reason: "'payment is already imported for dealer ' || t.dealer_id",
          from: """
            FROM import_rows r JOIN payments t ON t.payment = r.payment
            WHERE t.dealer_id <> r.dealer
            """),
      ]
    })

  private static func unknownSKU(_ fields: [ImportField]) -> String {
    SetChecks.mustExist(
      fields, column: "sku", table: "products", key: "sku", code: "E-IMPORT-UNKNOWN-SKU",
      reason: "no such product; import products first")
  }

  private static func format(
    fields: [ImportField], table: String, keys: [Mapping], values: [Mapping],
    uniqueInFile: [String]? = nil, extraChecks: ([ImportField]) -> [String]
  ) -> ImportFormat {
    let match = keys.map { "t.\($0.table) = r.\($0.file)" }.joined(separator: " AND ")
    let stored = values.map { "t.\($0.table)" }.joined(separator: ", ")
    let incoming = values.map { "r.\($0.file)" }.joined(separator: ", ")
    let differs = "(\(stored)) IS DISTINCT FROM (\(incoming))"
    let reported = keys.last!.file
    let conflict = SetChecks.problem(
      fields, column: reported, value: "r.\(reported)::text", code: "E-IMPORT-CONFLICT",
      reason:
        "'already imported with other values (' || concat_ws(', ', \(stored)) || '); "
        + "use --replace to replace it'",
      from: "FROM import_rows r JOIN \(table) t ON \(match) WHERE \(differs)")
    let checks =
      [SetChecks.unique(fields, keys: uniqueInFile ?? keys.map(\.file), report: reported)]
      + extraChecks(fields)
    let update = """
      UPDATE \(table) t SET \(values.map { "\($0.table) = r.\($0.file)" }.joined(separator: ", "))
      FROM import_rows r WHERE \(match) AND \(differs)
      """
    let columns = (keys + values).map(\.table).joined(separator: ", ")
    let insert = """
      INSERT INTO \(table) (\(columns))
      SELECT \((keys + values).map { "r.\($0.file)" }.joined(separator: ", ")) FROM import_rows r
      WHERE NOT EXISTS (SELECT 1 FROM \(table) t WHERE \(match))
      """
    return ImportFormat(
      fields: fields,
      setChecks: { replace in replace ? checks : checks + [conflict] },
      apply: { session in
        // Update first: rows inserted now must not count as replaced.
        let changed = try session.connection.execute(update, purpose: "replace \(table) rows")
        let new = try session.connection.execute(insert, purpose: "insert \(table) rows")
        return ImportCounts(records: session.rowCount, new: new, changed: changed)
      })
  }
}
