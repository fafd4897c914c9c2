/// Dealers and products: re-import updates changed attributes and counts them.
enum MasterDataImport {
  static let dealers = upsertFormat(
    fields: [
      ImportField("dealer", .text), ImportField("name", .text), ImportField("tier", .text),
      ImportField("segment", .text), ImportField("region", .text),
      ImportField("status", .choice(["active", "suspended", "closed"])),
    ],
    table: "dealers", key: ("dealer", "dealer_id"),
    attributes: [
      ("name", "name"), ("tier", "tier"), ("segment", "segment"), ("region", "region"),
      ("status", "status"),
    ])

  static let products = upsertFormat(
    fields: [
      ImportField("sku", .text), ImportField("name", .text), ImportField("category", .text),
      ImportField("brand", .text), ImportField("cost", .amount),
    ],
    table: "products", key: ("sku", "sku"),
    attributes: [
      ("name", "name"), ("category", "category"), ("brand", "brand"), ("cost", "unit_cost_minor"),
    ])

  /// `attributes` pair file columns with table columns.
  private static func upsertFormat(
    fields: [ImportField], table: String, key: (file: String, table: String),
    attributes: [(file: String, table: String)]
  ) -> ImportFormat {
    let targets = ([key.table] + attributes.map(\.table)).joined(separator: ", ")
    let sources = ([key.file] + attributes.map(\.file)).map { "r.\($0)" }.joined(separator: ", ")
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
