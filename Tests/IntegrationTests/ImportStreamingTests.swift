import Foundation
import PostgresClient
import RebateStore
import Testing

/// The streaming invoice import: files read from disk in chunks, documents checked as they
/// pass, lines COPYed straight into invoice_lines, and what its dropped foreign keys protected.
@Suite("CSV import, streaming")
struct ImportStreamingTests {
  static let header =
    "document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to\n"

  /// `count` two-line invoices of D-001 (net 2 × 3 × 10.50 = 63.00 each).
  static func invoices(_ numbers: ClosedRange<Int>) -> String {
    header
      + numbers.map { number in
        (1...2).map { line in
          "INV-\(number),invoice,D-001,2026-07-01,2026-07-31,20,\(line),SKU-\(line),3,12.00,10.50,\n"
        }.joined()
      }.joined()
  }

  static func lineTotals(_ connection: Connection) throws -> (lines: Int, netMinor: Int64) {
    let row = try connection.query(
      "SELECT count(*) AS lines, coalesce(sum(net_amount_minor), 0) AS net FROM invoice_lines",
      purpose: "count lines")[0]
    return (try row.int("lines"), try row.int64("net"))
  }

  @Test("a file larger than one read chunk streams from disk; a re-import is a no-op")
  func largeFileFromDisk() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      let text = Self.invoices(1...12_000)
      #expect(text.utf8.count > 1 << 20)
      let path = try temporaryFile("invoices.csv", text)
      let first = try CSVImport.run(.invoices, path: path, replace: false, connection: connection)
      #expect(
        first.summary
          == "invoices.csv: invoices: 12000 documents (24000 lines): 12000 new, 0 replaced, 0 unchanged"
      )
      #expect(try Self.lineTotals(connection) == (24_000, 24_000 * 3 * 1050))
      let again = try CSVImport.run(.invoices, path: path, replace: false, connection: connection)
      #expect((again.new, again.changed, again.unchanged) == (0, 0, 12_000))
      #expect(try Self.lineTotals(connection) == (24_000, 24_000 * 3 * 1050))
    }
  }

  @Test("new documents next to stored ones: only the new ones' lines are written")
  func newBesideUnchanged() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      try ImportTests.importText(.invoices, "a.csv", Self.invoices(1...3), connection)
      let report = try ImportTests.importText(.invoices, "b.csv", Self.invoices(1...5), connection)
      #expect((report.new, report.changed, report.unchanged) == (2, 0, 3))
      #expect(try Self.lineTotals(connection) == (10, 10 * 3 * 1050))
    }
  }

  @Test("lines in another order, quoted fields and CRLF: the same document, unchanged")
  func sameContentOtherLayout() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      try ImportTests.importText(.invoices, "a.csv", Self.invoices(7...7), connection)
      let reordered =
        Self.header.replacingOccurrences(of: "\n", with: "\r\n")
        + "\"INV-7\",invoice,D-001,2026-07-01,2026-07-31,20,2,SKU-2,3,12.00, 10.50 ,\r\n"
        + "INV-7,invoice,\"D-001\",2026-07-01,2026-07-31,20.0,1,SKU-1,3,12,10.5,\r\n"
      let report = try ImportTests.importText(.invoices, "b.csv", reordered, connection)
      #expect((report.new, report.changed, report.unchanged) == (0, 0, 1))
    }
  }

  @Test("a document whose lines are not together is refused, naming its first line")
  func scatteredDocument() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      let text =
        Self.header
        + "INV-1,invoice,D-001,2026-07-01,2026-07-31,20,1,SKU-1,3,12.00,10.50,\n"
        + "INV-2,invoice,D-001,2026-07-01,2026-07-31,20,1,SKU-1,3,12.00,10.50,\n"
        + "INV-1,invoice,D-001,2026-07-01,2026-07-31,20,2,SKU-1,3,12.00,10.50,\n"
      let failure = try #require(
        ImportTests.failure { try ImportTests.importText(.invoices, "s.csv", text, connection) })
      #expect(
        failure.lines == [
          "s.csv:4: column document: value 'INV-1': document INV-1 already appeared on line 2; a document's lines must be together (E-IMPORT-DUPLICATE)",
          "s.csv: 1 problem; nothing was imported",
        ])
      #expect(try Self.lineTotals(connection) == (0, 0))
    }
  }

  /// invoice_lines has no foreign keys; the import refuses what they refused.
  @Test("an unknown SKU and an orphan line are refused; deletes keep lines consistent")
  func referencesWithoutForeignKeys() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      try ImportTests.importText(.invoices, "a.csv", Self.invoices(1...2), connection)
      let before = try TestDatabase.fingerprint(connection)
      let unknownSKU = Self.invoices(3...3).replacingOccurrences(of: ",2,SKU-2,", with: ",2,SKU-9,")
      let skuFailure = try #require(
        ImportTests.failure {
          try ImportTests.importText(.invoices, "sku.csv", unknownSKU, connection)
        })
      #expect(skuFailure.problems.map(\.code) == ["E-IMPORT-UNKNOWN-SKU"])
      #expect(skuFailure.problems.map(\.line) == [3])
      // A line for INV-1 under another dealer would hang on D-001's invoice or on none.
      let orphan =
        Self.header + "INV-1,invoice,D-002,2026-07-01,2026-07-31,20,3,SKU-1,3,12.00,10.50,\n"
      let orphanFailure = try #require(
        ImportTests.failure {
          try ImportTests.importText(.invoices, "orphan.csv", orphan, connection, replace: true)
        })
      #expect(orphanFailure.problems.map(\.code) == ["E-IMPORT-CONFLICT"])
      #expect(try TestDatabase.fingerprint(connection) == before)
      let dangling = try connection.query(
        """
        SELECT count(*) AS lines FROM invoice_lines l
        WHERE NOT EXISTS (SELECT 1 FROM invoices i
                          WHERE i.dealer_id = l.dealer_id AND i.document = l.document)
           OR NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = l.sku)
        """, purpose: "find lines without invoice or product")[0]
      #expect(try dangling.int("lines") == 0)
      // Its prices go first (their foreign key would refuse before the lines are looked at).
      try connection.execute("DELETE FROM price_list WHERE sku = 'SKU-1'", purpose: "delete")
      let refused = #expect(throws: PostgresError.self) {
        try connection.execute("DELETE FROM products WHERE sku = 'SKU-1'", purpose: "delete")
      }
      #expect(refused?.message.contains("E-DB-REFERENCED") == true)
      try connection.execute("DELETE FROM invoices WHERE document = 'INV-1'", purpose: "delete")
      #expect(try Self.lineTotals(connection) == (2, 2 * 3 * 1050))
    }
  }

  @Test("each row and document rule has its code: record, total, inconsistency, reference")
  func ruleCodes() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      let text =
        Self.header
        + "INV-1,invoice,D-001,2026-07-01,2026-07-31,20,1,SKU-1,999999999999,12.00,999999999999999.99,\n"
        + "INV-1,invoice,D-001,2026-07-02,2026-07-31,20,2,SKU-1,3,12.00,10.50,\n"
        + "INV-2,invoice,D-001,2026-07-01\n"
        + "CN-1,credit_note,D-001,2026-07-05,,20,1,SKU-1,1,12.00,10.50,INV-404\n"
      let failure = try #require(
        ImportTests.failure { try ImportTests.importText(.invoices, "r.csv", text, connection) })
      let codes = failure.problems.map { "\($0.line) \($0.column) \($0.code)" }
      #expect(codes.contains("2 qty E-IMPORT-TOTAL"))
      #expect(codes.contains("3 date E-IMPORT-INCONSISTENT"))
      #expect(codes.contains("4 (record) E-IMPORT-CSV"))
      #expect(codes.contains("5 refers_to E-IMPORT-UNKNOWN-INVOICE"))
      #expect(failure.totalProblems == 4)
    }
  }

  @Test("a missing file and a file over the size limit are refused before reading")
  func fileCodes() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      let missing = #expect(throws: ImportFileError.self) {
        try CSVImport.run(
          .invoices, path: "/nonexistent/i.csv", replace: false, connection: connection)
      }
      #expect(missing?.code == "E-IMPORT-FILE")
      let path = try temporaryFile("huge.csv", Self.header)
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      try handle.truncate(atOffset: UInt64(ImportSource.maxFileBytes) + 1)  // sparse
      try handle.close()
      let huge = #expect(throws: ImportFileError.self) {
        try CSVImport.run(.invoices, path: path, replace: false, connection: connection)
      }
      #expect(huge?.code == "E-IMPORT-TOO-LARGE")
      try FileManager.default.removeItem(atPath: path)
    }
  }
}
