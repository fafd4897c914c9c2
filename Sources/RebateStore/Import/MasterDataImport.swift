/// Dealers and products: re-import updates changed attributes and counts them.
enum MasterDataImport {
  private static let dealerFields = [
    ImportField("dealer", .text), ImportField("name", .text), ImportField("tier", .text),
    ImportField("segment", .text), ImportField("region", .text),
    ImportField("status", .choice(["active", "suspended", "closed"])),
    // Optional in two ways: the column may be left out of the file (below), and a cell may be
    // empty (no payment terms recorded: the dealer meets no payment-terms condition).
    ImportField("payment_terms", .label, required: false),
  ]
  private static let dealerAttributes = [
    ("name", "name"), ("tier", "tier"), ("segment", "segment"), ("region", "region"),
    ("status", "status"),
  ]

  static let dealers = upsertFormat(
    fields: dealerFields, table: "dealers", key: ("dealer", "dealer_id"),
    attributes: dealerAttributes + [("payment_terms", "payment_terms")])

  /// dealers.csv as it was before `payment_terms`: such a file says nothing about payment terms,
  /// so it leaves every stored dealer's as they are (and a new dealer has none).
  static let dealersWithoutPaymentTerms = upsertFormat(
    fields: Array(dealerFields.dropLast()), table: "dealers", key: ("dealer", "dealer_id"),
    attributes: dealerAttributes)

  static let products = upsertFormat(
    fields: [
      ImportField("sku", .text), ImportField("name", .text), ImportField("category", .text),
      ImportField("brand", .text), ImportField("cost", .amount),
    ],
    table: "products", key: ("sku", "sku"),
    attributes: [
      ("name", "name"), ("category", "category"), ("brand", "brand"), ("cost", "unit_cost_minor"),
    ])

  /// `attributes` pair file columns with table columns. An optional column's empty cell (staged
  /// as NULL) is written as empty text: the attribute is recorded as "none".
  private static func upsertFormat(
    fields: [ImportField], table: String, key: (file: String, table: String),
    attributes: [(file: String, table: String)]
  ) -> ImportFormat {
    let targets = ([key.table] + attributes.map(\.table)).joined(separator: ", ")
    let sources = ([key.file] + attributes.map(\.file)).map { column in
      let field = fields[ImportField.position(of: column, in: fields) - 1]
      return field.required ? "r.\(column)" : "coalesce(r.\(column), '')"
    }.joined(separator: ", ")
    let current = attributes.map { "\(table).\($0.table)" }.joined(separator: ", ")
    let incoming = attributes.map { "EXCLUDED.\($0.table)" }.joined(separator: ", ")
    let updates = attributes.map { "\($0.table) = EXCLUDED.\($0.table)" }.joined(separator: ", ")
    let upsert = """
      WITH written AS (
        INSERT INTO \(table) (\(targets))
        SELECT \(sources) FROM import_rows r
        ON CONFLICT (\(key.table)) DO UPDATE SET \(updates)
        WHERE (\(current)) IS DISTINCT FROM (\(incoming))
        RETURNING (xmax = 0) AS inserted)
      SELECT count(*) FILTER (WHERE inserted) AS new, count(*) FILTER (WHERE NOT inserted) AS changed
      FROM written
      """
    let checks = [SetChecks.unique(fields, keys: [key.file], report: key.file)]
    return ImportFormat(
      fields: fields, setChecks: { _ in checks },
      apply: { session in
        let counts = try session.connection.query(upsert, purpose: "write \(table)")[0]
        return ImportCounts(
          records: session.rowCount, new: try counts.int("new"), changed: try counts.int("changed"))
      })
  }
}
