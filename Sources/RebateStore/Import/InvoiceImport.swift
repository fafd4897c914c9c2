import PostgresClient
import RebateCore

/// Invoices and credit notes, one CSV row per document line, a document's lines together. A
/// document is identified by its number; its content hash (header and lines) tells a re-import
/// (unchanged) from a different document under a number already used (`E-IMPORT-CONFLICT`
/// unless `--replace`).
///
/// One streaming pass checks every row and document in Swift (dealers and SKUs against sets
/// loaded once) and, betting that the documents are new (the usual case), COPYs each clean line
/// straight into `invoice_lines` under a savepoint, while one summary row per document goes to
/// a spill file. The summaries are then COPYed into a temp table and set-wise SQL compares them
/// with the database. If the bet was wrong (a document is already stored, or the COPY hit a
/// stored line), the savepoint is rolled back and a second pass writes only the lines of new and
/// replaced documents. Either way the big table is written once, with no casts or per-row
/// functions in SQL.
enum InvoiceImport {
  static let fields = [
    ImportField("document", .text), ImportField("kind", .choice(["invoice", "credit_note"])),
    ImportField("dealer", .text), ImportField("date", .date),
    ImportField("due_date", .date, required: false), ImportField("vat_percent", .percent),
    ImportField("line", .positiveInteger), ImportField("sku", .text),
    ImportField("qty", .positiveInteger), ImportField("list_price", .amount),
    ImportField("net_unit_price", .amount), ImportField("refers_to", .text, required: false),
  ]

  /// Document fields that repeat on every line of a document and must agree (the order of
  /// `InvoiceRow.headerValue`).
  static let headerColumns = ["kind", "dealer", "date", "due_date", "vat_percent", "refers_to"]

  static let copyLines = """
    COPY invoice_lines (dealer_id, document, line, sku, qty, list_price_minor,
      net_unit_price_minor, net_amount_minor) FROM STDIN
    """

  static func run(
    source: ImportSource, reader: inout CSVRecordReader, log: inout ProblemLog, replace: Bool,
    connection: Connection
  ) throws -> ImportReport {
    for statement in createTables {
      try connection.execute(statement, purpose: "create import tables")
    }
    let spill = try DocumentSpill()
    try connection.execute("SAVEPOINT import_lines", purpose: "mark speculative lines")
    let checked = try checkFile(reader: &reader, log: &log, spill: spill, connection: connection)
    if log.hasEncodingProblems { try log.throwIfAny() }
    var linesWritten = checked.linesWritten && log.isEmpty
    if !linesWritten { try undoLines(connection) }
    try stageDocuments(spill, file: log.file, connection: connection)
    for check in databaseChecks(replace: replace) {
      try connection.execute(check, purpose: "check \(log.file) against the database")
    }
    try log.addStored(connection)
    try log.throwIfAny()
    let stored = try storedDocuments(connection)
    if linesWritten && stored > 0 {
      try undoLines(connection)
      try stageDocuments(spill, file: log.file, connection: connection)
      linesWritten = false
    }
    let unchanged = stored > 0 ? try unchangedDocuments(connection) : []
    let changed = replace && stored > 0 ? try replaceChanged(connection) : 0
    let new = try connection.execute(
      stored > 0 ? insertNew : insertAll, purpose: "insert new documents")
    precondition(new + changed + unchanged.count == checked.documents, "documents miscounted")
    if !linesWritten && new + changed > 0 {
      try writeLines(
        source: source, file: log.file, skipping: unchanged, expectedRows: checked.rows,
        expectedBytes: reader.streamBytes, connection: connection)
    }
    return ImportReport(
      kind: .invoices, file: log.file, lines: checked.rows, records: checked.documents, new: new,
      changed: changed, unchanged: unchanged.count)
  }

  // MARK: First pass: check (and write, betting on new documents)

  private static func checkFile(
    reader: inout CSVRecordReader, log: inout ProblemLog, spill: DocumentSpill,
    connection: Connection
  ) throws -> (rows: Int, documents: Int, linesWritten: Bool) {
    let dealers = try keys("SELECT dealer_id AS key FROM dealers", connection)
    let skus = try keys("SELECT sku AS key FROM products", connection)
    var rows = 0
    var documents = 0
    var sink = LineSink(file: log.file)
    do {
      try connection.copyIn(copyLines, purpose: "copy \(log.file) lines") { writer in
        var summaries = CopyBuffer()
        var tracker = DocumentTracker()
        while let record = try reader.next() {
          if let line = log.dataLine(record) {
            rows += 1
            var row = InvoiceRow(line: line, reader: reader, log: &log)
            row.checkRules(dealers: dealers, skus: skus, log: &log)
            if log.isEmpty { sink.write(row, to: writer) }
            if let done = tracker.add(row, log: &log) {
              documents += done.stored ? 1 : 0
              stage(done, to: &summaries, log: &log)
              if summaries.isLarge { try spill.write(&summaries) }
            }
          }
        }
        if let done = tracker.finish() {
          documents += done.stored ? 1 : 0
          stage(done, to: &summaries, log: &log)
        }
        try spill.write(&summaries)
        sink.finish(to: writer)
      }
    } catch let error as PostgresError {
      // A stored line with the same key (a re-import) ends the bet, not the import.
      sink.failed = sink.failed ?? error
    }
    return (rows, documents, sink.failed == nil)
  }

  /// Rolls back the lines the first pass wrote.
  private static func undoLines(_ connection: Connection) throws {
    try connection.execute("ROLLBACK TO SAVEPOINT import_lines", purpose: "undo speculative lines")
  }

  private static func stageDocuments(_ spill: DocumentSpill, file: String, connection: Connection)
    throws
  {
    try connection.copyIn("COPY import_documents FROM STDIN", purpose: "copy \(file) documents") {
      try spill.send(to: $0)
    }
  }

  /// How many of the file's documents the database has already.
  private static func storedDocuments(_ connection: Connection) throws -> Int {
    try connection.query(
      """
      SELECT count(*) AS stored FROM import_documents d
      WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.document = d.document)
      """, purpose: "count stored documents")[0].int("stored")
  }

  /// A small key column (dealer codes, SKUs) as a set, loaded once per import.
  private static func keys(_ sql: String, _ connection: Connection) throws -> Set<String> {
    let result = try connection.query(sql, purpose: "load known keys")
    var keys = Set<String>(minimumCapacity: result.rows.count)
    for row in result.rows { keys.insert(try row.string("key")) }
    return keys
  }

  /// Runs the document's own checks and, unless it repeats an earlier number, stages its
  /// summary row.
  private static func stage(
    _ finished: (document: InvoiceDocument, stored: Bool), to copy: inout CopyBuffer,
    log: inout ProblemLog
  ) {
    var document = finished.document
    let hash = document.finish(log: &log)
    guard finished.stored else { return }
    let header = document.header
    copy.append(document.number)
    copy.separator()
    copy.append(header.dealer.map(ImportField.Value.text))
    copy.separator()
    copy.append(Int64(document.firstLine))
    copy.separator()
    copy.append(hash != nil ? "t" : "f")
    copy.separator()
    copy.append(hash.map(ImportField.Value.text))
    let values: [ImportField.Value?] = [
      header.kind.map(ImportField.Value.text), header.date.map(ImportField.Value.day),
      header.dueDate.map(ImportField.Value.day), header.vatPercent.map(ImportField.Value.decimal),
      header.refersTo.map(ImportField.Value.text),
    ]
    for value in values {
      copy.separator()
      copy.append(value)
    }
    copy.separator()
    copy.append(Int64(document.lineCount))
    copy.endRow()
  }

  static let createTables = [
    """
    CREATE TEMP TABLE import_documents (document text NOT NULL, dealer_id text,
      first_line integer NOT NULL, clean boolean NOT NULL, content_sha256 text, kind text,
      issued_on date, due_on date, vat_percent numeric, refers_to text,
      line_count integer NOT NULL) ON COMMIT DROP
    """,
    CSVImport.createProblems,
  ]

  // MARK: Set-wise checks against the database

  static func databaseChecks(replace: Bool) -> [String] {
    let conflicts = [
      problem(
        "document", "d.document", "E-IMPORT-CONFLICT",
        "'document number is already used by dealer ' || i.dealer_id",
        """
        FROM import_documents d JOIN invoices i ON i.document = d.document
        WHERE i.dealer_id <> d.dealer_id
        """),
      problem(
        "refers_to", "d.refers_to", "E-IMPORT-UNKNOWN-INVOICE",
        "'no invoice ' || d.refers_to || ' of dealer ' || d.dealer_id || ' in the file or the database'",
        """
        FROM import_documents d
        WHERE d.refers_to IS NOT NULL AND d.dealer_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM invoices i
            WHERE i.dealer_id = d.dealer_id AND i.document = d.refers_to AND i.kind = 'invoice')
          AND NOT EXISTS (SELECT 1 FROM import_documents f
            WHERE f.dealer_id = d.dealer_id AND f.document = d.refers_to AND f.kind = 'invoice')
        """),
    ]
    // Only a clean document has a meaningful hash (a bad line alone would make it differ).
    let changed = problem(
      "document", "d.document", "E-IMPORT-CONFLICT",
      "'document is already imported with different content; use --replace to replace it'",
      """
      FROM import_documents d JOIN invoices i
        ON i.document = d.document AND i.dealer_id = d.dealer_id
      WHERE d.clean AND i.content_sha256 <> d.content_sha256
      """)
    return replace ? conflicts : conflicts + [changed]
  }

  private static func problem(
    _ column: String, _ value: String, _ code: String, _ reason: String, _ from: String
  ) -> String {
    """
    INSERT INTO import_problems (line_no, col_order, col, val, code, reason)
    SELECT d.first_line, \(ImportField.position(of: column, in: fields)), '\(column)', \(value), '\(code)', \(reason)
    \(from)
    """
  }

  // MARK: Writing

  /// First lines of the documents already stored with the same content: skipped when writing.
  private static func unchangedDocuments(_ connection: Connection) throws -> Set<Int32> {
    var firstLines = Set<Int32>()
    try connection.copyOut(
      """
      COPY (SELECT d.first_line FROM import_documents d JOIN invoices i
        ON i.document = d.document AND i.dealer_id = d.dealer_id
        AND i.content_sha256 = d.content_sha256) TO STDOUT
      """, purpose: "list unchanged documents"
    ) { row in
      var value: Int32 = 0
      for byte in row where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        value = value * 10 + Int32(byte - UInt8(ascii: "0"))
      }
      firstLines.insert(value)
    }
    return firstLines
  }

  /// `--replace`: rewrites the header of each document whose content changed and removes its
  /// old lines (the second pass writes the new ones). Returns how many were replaced.
  private static func replaceChanged(_ connection: Connection) throws -> Int {
    try connection.execute(
      """
      DELETE FROM invoice_lines l USING import_documents d, invoices i
      WHERE i.document = d.document AND i.dealer_id = d.dealer_id
        AND i.content_sha256 <> d.content_sha256
        AND l.dealer_id = d.dealer_id AND l.document = d.document
      """, purpose: "remove lines of replaced documents")
    return try connection.execute(
      """
      UPDATE invoices i SET kind = d.kind, issued_on = d.issued_on, due_on = d.due_on,
        vat_percent = d.vat_percent, refers_to = d.refers_to, content_sha256 = d.content_sha256
      FROM import_documents d
      WHERE i.document = d.document AND i.dealer_id = d.dealer_id
        AND i.content_sha256 <> d.content_sha256
      """, purpose: "replace changed documents")
  }

  /// When none of the file's documents is stored: a plain insert, the cheapest.
  static let insertAll = """
    INSERT INTO invoices (dealer_id, document, kind, issued_on, due_on, vat_percent, refers_to,
      content_sha256)
    SELECT d.dealer_id, d.document, d.kind, d.issued_on, d.due_on, d.vat_percent, d.refers_to,
      d.content_sha256
    FROM import_documents d
    """

  /// Stored documents of the file have its dealer (another dealer's is refused before), so the
  /// key conflict skips exactly them. (An anti-join against `invoices` would scan the rows it
  /// is inserting when the planner thinks the table is empty.)
  static let insertNew = insertAll + "\nON CONFLICT (dealer_id, document) DO NOTHING"

  /// Second pass: the lines of new and replaced documents, COPYed into `invoice_lines`. The
  /// file was fully checked; if it reads differently now, it changed and the import stops.
  private static func writeLines(
    source: ImportSource, file: String, skipping unchanged: Set<Int32>, expectedRows: Int,
    expectedBytes: Int, connection: Connection
  ) throws {
    let stream = try source.open()
    guard stream.size == expectedBytes else { throw ImportFileError.changed(file) }
    var reader = CSVRecordReader(stream: stream, expectedFields: fields.count)
    _ = try reader.header()
    var scratch = ProblemLog(file: file)
    var rows = 0
    try connection.copyIn(copyLines, purpose: "copy \(file) lines") { writer in
      var sink = LineSink(file: file)
      var document = ""
      var skipping = false
      while let record = try reader.next() {
        guard case .data(let line) = record else { throw ImportFileError.changed(file) }
        rows += 1
        let row = InvoiceRow(line: line, reader: reader, log: &scratch)
        guard scratch.isEmpty, let number = row.document else {
          throw ImportFileError.changed(file)
        }
        if number != document {
          document = number
          skipping = unchanged.contains(Int32(line))
        }
        if !skipping { sink.write(row, to: writer) }
        if let error = sink.failed { throw error }
      }
      sink.finish(to: writer)
      if let error = sink.failed { throw error }
    }
    guard rows == expectedRows else { throw ImportFileError.changed(file) }
  }
}

/// Turns checked rows into COPY data for `invoice_lines`. A failed send is kept, not thrown, so
/// the first pass can finish checking the file after the server refused its bet.
struct LineSink {
  let file: String
  private var copy = CopyBuffer()
  var failed: (any Error)?

  init(file: String) { self.file = file }

  mutating func write(_ row: InvoiceRow, to writer: CopyWriter) {
    guard failed == nil, let document = row.document, let dealer = row.dealer,
      let line = row.line, let sku = row.sku, let qty = row.qty,
      let listPrice = row.listPriceMinor, let netUnitPrice = row.netUnitPriceMinor,
      let netAmount = row.netAmountMinor
    else {
      // Checked rows are complete; an incomplete one means the file changed under us.
      failed = failed ?? ImportFileError.changed(file)
      return
    }
    copy.append(dealer)
    copy.separator()
    copy.append(document)
    copy.separator()
    copy.append(line)
    copy.separator()
    copy.append(sku)
    for value in [qty, listPrice, netUnitPrice, netAmount] {
      copy.separator()
      copy.append(value)
    }
    copy.endRow()
    send(to: writer, force: false)
  }

  mutating func finish(to writer: CopyWriter) { send(to: writer, force: true) }

  private mutating func send(to writer: CopyWriter, force: Bool) {
    guard failed == nil else { return }
    do {
      try copy.flush(to: writer, force: force)
    } catch {
      failed = error
    }
  }
}

/// Follows which document the streaming rows belong to: a document's lines must be together,
/// so only the current document is held, plus the first line of every document number seen.
struct DocumentTracker {
  private var current: InvoiceDocument?
  /// The current document number appeared before (reported); it is checked but not stored.
  private var currentRepeats = false
  private var seen: [String: Int32] = [:]

  /// Adds a row; returns the previous document when this row starts another one (`stored`:
  /// false when it repeated an earlier number).
  mutating func add(_ row: InvoiceRow, log: inout ProblemLog) -> (
    document: InvoiceDocument, stored: Bool
  )? {
    var row = row
    guard let number = row.document else { return nil }
    if current?.number == number {
      current!.add(row, log: &log)
      return nil
    }
    let finished = finish()
    if let earlier = seen[number] {
      row.report(
        "document", number, "E-IMPORT-DUPLICATE",
        "document \(number) already appeared on line \(earlier); a document's lines must be together",
        &log)
      currentRepeats = true
    } else {
      seen[number] = Int32(row.fileLine)
      currentRepeats = false
    }
    current = InvoiceDocument(number: number, first: row, log: &log)
    return finished
  }

  /// The current document, if any.
  mutating func finish() -> (document: InvoiceDocument, stored: Bool)? {
    defer { current = nil }
    return current.map { ($0, !currentRepeats) }
  }
}
