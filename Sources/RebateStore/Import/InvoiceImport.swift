/// Invoices and credit notes, one CSV row per document line. A document is identified by its
/// number; its content hash (header and lines) tells a re-import (unchanged) from a different
/// document under a number already used (`E-IMPORT-CONFLICT` unless `--replace`).
enum InvoiceImport {
  static let fields = [
    ImportField("document", .text), ImportField("kind", .choice(["invoice", "credit_note"])),
    ImportField("dealer", .text), ImportField("date", .date),
    ImportField("due_date", .date, required: false), ImportField("vat_percent", .percent),
    ImportField("line", .positiveInteger), ImportField("sku", .text),
    ImportField("qty", .positiveInteger), ImportField("list_price", .amount),
    ImportField("net_unit_price", .amount), ImportField("refers_to", .text, required: false),
  ]

  /// Document fields that repeat on every line of a document and must agree.
  static let headerColumns = ["kind", "dealer", "date", "due_date", "vat_percent", "refers_to"]

  static let format = ImportFormat(
    fields: fields,
    setChecks: { replace in
      [summariseDocuments] + rowChecks + documentChecks + (replace ? [] : [conflictCheck])
    },
    apply: write)

  static let rowChecks = [
    SetChecks.mustExist(
      fields, column: "dealer", table: "dealers", key: "dealer_id",
      code: "E-IMPORT-UNKNOWN-DEALER", reason: "no such dealer; import dealers first"),
    SetChecks.mustExist(
      fields, column: "sku", table: "products", key: "sku", code: "E-IMPORT-UNKNOWN-SKU",
      reason: "no such product; import products first"),
    SetChecks.unique(fields, keys: ["document", "line"], report: "line"),
    rule(
      "due_date", "r.due_date::text", "E-IMPORT-REQUIRED", "'is required for an invoice'",
      "r.kind = 'invoice' AND nullif(btrim(s.due_date), '') IS NULL"),
    rule(
      "due_date", "r.due_date::text", "E-IMPORT-VALUE", "'must be empty for a credit note'",
      "r.kind = 'credit_note' AND nullif(btrim(s.due_date), '') IS NOT NULL"),
    rule(
      "due_date", "r.due_date::text", "E-IMPORT-DATE",
      "'is before the document date ' || r.date", "r.due_date < r.date"),
    rule(
      "refers_to", "r.refers_to", "E-IMPORT-VALUE", "'only a credit note refers to an invoice'",
      "r.kind = 'invoice' AND r.refers_to IS NOT NULL"),
    rule(
      "qty", "r.qty::text", "E-IMPORT-TOTAL",
      "'qty × net_unit_price does not fit a money amount'",
      "r.qty::numeric * r.net_unit_price > 9223372036854775807"),
  ]

  /// A check on one row; `s` is the row's raw staging text for "was it given at all" tests.
  private static func rule(
    _ column: String, _ value: String, _ code: String, _ reason: String, _ condition: String
  ) -> String {
    SetChecks.problem(
      fields, column: column, value: value, code: code, reason: reason,
      from: "FROM import_rows r JOIN import_stage s USING (line_no) WHERE \(condition)")
  }

  /// One row per document: its first line, dealer, content hash and whether the database has
  /// it already (`new`, `unchanged`, `changed`, or `foreign` when another dealer owns it).
  static let summariseDocuments = """
    CREATE TEMP TABLE import_documents ON COMMIT DROP AS
    SELECT d.*, CASE
        WHEN i.document IS NULL THEN 'new'
        WHEN i.dealer_id IS DISTINCT FROM d.dealer THEN 'foreign'
        WHEN i.content_sha256 = d.content_sha256 THEN 'unchanged'
        ELSE 'changed' END AS status,
      i.dealer_id AS stored_dealer
    FROM (
      SELECT r.document, min(r.line_no) AS first_line, min(r.dealer) AS dealer,
        sum(r.qty::numeric * r.net_unit_price) AS total_minor,
        encode(sha256(convert_to(string_agg(
          format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', r.kind, r.dealer, r.date, r.due_date,
            trim_scale(r.vat_percent), r.refers_to, r.line, r.sku, r.qty, r.list_price,
            r.net_unit_price), E'\\n' ORDER BY r.line, r.line_no), 'UTF8')), 'hex') AS content_sha256
      FROM import_rows r WHERE r.document IS NOT NULL GROUP BY r.document) d
    LEFT JOIN invoices i ON i.document = d.document
    """

  static var documentChecks: [String] {
    [
      headerConsistency,
      SetChecks.problem(
        fields, column: "refers_to", value: "r.refers_to", code: "E-IMPORT-UNKNOWN-INVOICE",
        reason:
          "'no invoice ' || r.refers_to || ' of dealer ' || r.dealer || ' in the file or the database'",
        from: """
          FROM import_rows r
          WHERE r.refers_to IS NOT NULL AND r.dealer IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM invoices i
              WHERE i.dealer_id = r.dealer AND i.document = r.refers_to AND i.kind = 'invoice')
            AND NOT EXISTS (SELECT 1 FROM import_rows f
              WHERE f.dealer = r.dealer AND f.document = r.refers_to AND f.kind = 'invoice')
          """),
      SetChecks.problem(
        fields, column: "document", value: "r.document", code: "E-IMPORT-TOTAL",
        reason: "'the document total does not fit a money amount'",
        from: """
          FROM import_documents d JOIN import_rows r ON r.line_no = d.first_line
          WHERE d.total_minor > 9223372036854775807
          """),
      SetChecks.problem(
        fields, column: "document", value: "r.document", code: "E-IMPORT-CONFLICT",
        reason: "'document number is already used by dealer ' || d.stored_dealer",
        from: """
          FROM import_documents d JOIN import_rows r ON r.line_no = d.first_line
          WHERE d.status = 'foreign'
          """),
    ]
  }

  /// Every line's document fields must equal the first line's; each difference is reported.
  static var headerConsistency: String {
    let firsts = headerColumns.map { "first_value(r.\($0)) OVER w AS first_\($0)" }
      .joined(separator: ", ")
    let pairs = headerColumns.map {
      "(\(ImportField.position(of: $0, in: fields)), '\($0)', r.\($0)::text, r.first_\($0)::text)"
    }.joined(separator: ", ")
    return """
      INSERT INTO import_problems (line_no, col_order, col, val, code, reason)
      SELECT r.line_no, c.position, c.col, c.val, 'E-IMPORT-INCONSISTENT',
        'differs from line ' || r.first_line || ' of document ' || r.document
          || ' (' || c.first || ')'
      FROM (SELECT r.*, min(r.line_no) OVER w AS first_line, \(firsts)
            FROM import_rows r WHERE r.document IS NOT NULL
            WINDOW w AS (PARTITION BY r.document ORDER BY r.line_no)) r
      CROSS JOIN LATERAL (VALUES \(pairs)) AS c (position, col, val, first)
      WHERE c.val IS NOT NULL AND c.first IS NOT NULL AND c.val <> c.first
      """
  }

  /// Reported on the document's first line, only when its own lines are otherwise clean (a
  /// document with bad lines hashes differently for that reason alone).
  static let conflictCheck = SetChecks.problem(
    fields, column: "document", value: "r.document", code: "E-IMPORT-CONFLICT",
    reason:
      "'document is already imported with different content; use --replace to replace it'",
    from: """
      FROM import_documents d JOIN import_rows r ON r.line_no = d.first_line
      WHERE d.status = 'changed' AND NOT EXISTS (
        SELECT 1 FROM import_problems p JOIN import_rows l ON l.line_no = p.line_no
        WHERE l.document = d.document)
      """)

  private static func write(_ session: ImportSession) throws -> ImportCounts {
    let connection = session.connection
    try connection.execute(
      "DELETE FROM invoice_lines l USING import_documents d "
        + "WHERE d.status = 'changed' AND l.dealer_id = d.dealer AND l.document = d.document",
      purpose: "remove lines of replaced documents")
    let changed = try connection.execute(
      """
      UPDATE invoices i SET kind = r.kind, issued_on = r.date, due_on = r.due_date,
        vat_percent = r.vat_percent, refers_to = r.refers_to, content_sha256 = d.content_sha256
      FROM import_documents d JOIN import_rows r ON r.line_no = d.first_line
      WHERE d.status = 'changed' AND i.dealer_id = d.dealer AND i.document = d.document
      """, purpose: "replace changed documents")
    let new = try connection.execute(
      """
      INSERT INTO invoices (dealer_id, document, kind, issued_on, due_on, vat_percent, refers_to,
        content_sha256)
      SELECT r.dealer, r.document, r.kind, r.date, r.due_date, r.vat_percent, r.refers_to,
        d.content_sha256
      FROM import_documents d JOIN import_rows r ON r.line_no = d.first_line
      WHERE d.status = 'new'
      """, purpose: "insert new documents")
    try connection.execute(
      """
      INSERT INTO invoice_lines (dealer_id, document, line, sku, qty, list_price_minor,
        net_unit_price_minor, net_amount_minor)
      SELECT r.dealer, r.document, r.line, r.sku, r.qty, r.list_price, r.net_unit_price,
        r.qty * r.net_unit_price
      FROM import_rows r JOIN import_documents d USING (document)
      WHERE d.status IN ('new', 'changed')
      """, purpose: "insert document lines")
    let documents = try connection.query(
      "SELECT count(*) AS documents FROM import_documents", purpose: "count documents")[0]
    return ImportCounts(records: try documents.int("documents"), new: new, changed: changed)
  }
}
