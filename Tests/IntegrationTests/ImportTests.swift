import Foundation
import PostgresClient
import RebateStore
import Testing

@Suite("CSV import")
struct ImportTests {
  /// Imports the master data every document file needs.
  static func importMasterData(_ connection: Connection) throws {
    try importText(.dealers, "dealers.csv", ImportFixtures.dealers, connection)
    try importText(.products, "products.csv", ImportFixtures.products, connection)
    try importText(.prices, "prices.csv", ImportFixtures.prices, connection)
  }

  @discardableResult
  static func importText(
    _ kind: ImportKind, _ name: String, _ text: String, _ connection: Connection,
    replace: Bool = false
  ) throws -> ImportReport {
    try CSVImport.run(
      kind, fileName: name, bytes: Data(text.utf8), replace: replace, connection: connection)
  }

  static func failure(_ body: () throws -> Void) -> ImportFailure? {
    do {
      try body()
    } catch let failure as ImportFailure {
      return failure
    } catch {
      Issue.record("expected an ImportFailure, got \(error)")
    }
    return nil
  }

  @Test("a good set of files imports, with exact amounts and non-ASCII names")
  func goodFiles() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try Self.importMasterData(connection)
      let invoices = try Self.importText(
        .invoices, "invoices.csv", ImportFixtures.invoices, connection)
      #expect(
        invoices.summary
          == "invoices.csv: invoices: 3 documents (4 lines): 3 new, 0 replaced, 0 unchanged")
      let payments = try Self.importText(
        .payments, "payments.csv", ImportFixtures.payments, connection)
      #expect(payments.new == 3)
      let changes = try Self.importText(
        .priceChanges, "price_changes.csv", ImportFixtures.priceChanges, connection)
      #expect(changes.new == 1)
      let totals = try connection.query(
        """
        SELECT
          (SELECT sum(net_amount_minor) FROM invoice_lines WHERE document = 'INV-1') AS inv1,
          (SELECT sum(net_amount_minor) FROM invoice_lines WHERE document = 'CN-1') AS cn1,
          (SELECT sum(gross_amount_minor) FROM payments) AS paid,
          (SELECT name FROM dealers WHERE dealer_id = 'D-001') AS name,
          (SELECT unit_cost_minor FROM products WHERE sku = 'SKU-2') AS cost,
          (SELECT new_list_price_minor FROM price_changes WHERE sku = 'SKU-1') AS new_price,
          (SELECT due_on IS NULL AND refers_to = 'INV-1' FROM invoices WHERE document = 'CN-1')
            AS credit_note_shape
        """, purpose: "read back")[0]
      #expect(try totals.int64("inv1") == 1_000_000_00)
      #expect(try totals.int64("cn1") == 300_000_00)
      #expect(try totals.int64("paid") == 1_200_000_00)
      #expect(try totals.string("name") == "Дилер «Север»")
      #expect(try totals.int64("cost") == 1250)
      #expect(try totals.int64("new_price") == 900_00)
      #expect(try totals.bool("credit_note_shape"))
    }
  }

  @Test("every problem is reported with line, column, value and reason; nothing changes")
  func severalErrors() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try Self.importMasterData(connection)
      try Self.importText(.invoices, "invoices.csv", ImportFixtures.invoices, connection)
      let before = try TestDatabase.fingerprint(connection)
      let bad = """
        document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to
        INV-7,invoice,D-001,2026-07-01,2026-07-31,20,1,SKU-1,5,10000.00,6840.00,
        INV-8,invoice,D-404,2026-02-30,2026-07-31,20,1,SKU-X,-3,10000.001,6840.00,
        INV-8,invoice,D-001,2026-07-01,,20,1,SKU-1,3,10000,6840.00,
        INV-9,bill,D-001,2026-07-01,2026-07-31,20,1,SKU-1,3,10000,6840.00
        CN-9,credit_note,D-001,2026-07-01,2026-07-31,20,1,SKU-1,3,10000,6840.00,INV-404

        """
      let failure = try #require(
        Self.failure {
          try Self.importText(.invoices, "bad.csv", bad, connection)
        })
      #expect(failure.totalProblems == 11)
      #expect(
        failure.lines == [
          "bad.csv:3: column dealer: value 'D-404': no such dealer; import dealers first (E-IMPORT-UNKNOWN-DEALER)",
          "bad.csv:3: column date: value '2026-02-30': is not a date YYYY-MM-DD that exists (E-IMPORT-DATE)",
          "bad.csv:3: column sku: value 'SKU-X': no such product; import products first (E-IMPORT-UNKNOWN-SKU)",
          "bad.csv:3: column qty: value '-3': is not a whole number (E-IMPORT-NUMBER)",
          "bad.csv:3: column list_price: value '10000.001': is not an amount like 1234.50 (dot decimals, at most 2, not negative) (E-IMPORT-NUMBER)",
          "bad.csv:4: column dealer: value 'D-001': differs from line 3 of document INV-8 (D-404) (E-IMPORT-INCONSISTENT)",
          "bad.csv:4: column due_date: value '': is required for an invoice (E-IMPORT-REQUIRED)",
          "bad.csv:4: column line: value '1': duplicate document, line: first on line 3 (E-IMPORT-DUPLICATE)",
          "bad.csv:5: column (record): value 'INV-9,bill,D-001,2026-07-01,2026-07-31,20,1,SKU-1,3,10000,68': has 11 fields, expected 12 (E-IMPORT-CSV)",
          "bad.csv:6: column due_date: value '2026-07-31': must be empty for a credit note (E-IMPORT-VALUE)",
          "bad.csv:6: column refers_to: value 'INV-404': no invoice INV-404 of dealer D-001 in the file or the database (E-IMPORT-UNKNOWN-INVOICE)",
          "bad.csv: 11 problems; nothing was imported",
        ])
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }

  @Test("re-importing the same files is a no-op and says so")
  func reimportIsNoOp() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try Self.importMasterData(connection)
      try Self.importText(.invoices, "invoices.csv", ImportFixtures.invoices, connection)
      try Self.importText(.payments, "payments.csv", ImportFixtures.payments, connection)
      let before = try TestDatabase.fingerprint(connection)
      let again = try Self.importText(
        .invoices, "invoices.csv", ImportFixtures.invoices, connection)
      #expect(
        again.summary
          == "invoices.csv: invoices: 3 documents (4 lines): 0 new, 0 replaced, 3 unchanged")
      let payments = try Self.importText(
        .payments, "payments.csv", ImportFixtures.payments, connection)
      #expect((payments.new, payments.changed, payments.unchanged) == (0, 0, 3))
      let dealers = try Self.importText(.dealers, "dealers.csv", ImportFixtures.dealers, connection)
      #expect(dealers.summary == "dealers.csv: dealers: 3 rows: 0 new, 0 changed, 3 unchanged")
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }

  @Test("the same invoice number with other content is E-IMPORT-CONFLICT unless --replace")
  func conflictAndReplace() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try Self.importMasterData(connection)
      try Self.importText(.invoices, "invoices.csv", ImportFixtures.invoices, connection)
      try Self.importText(.payments, "payments.csv", ImportFixtures.payments, connection)
      let changed = ImportFixtures.invoices.replacingOccurrences(
        of: "INV-2,invoice,D-002,2026-07-15,2026-08-14,20,1,SKU-2,10,20.00,16.00,",
        with: "INV-2,invoice,D-002,2026-07-15,2026-08-14,20,1,SKU-2,12,20.00,16.00,")
      let before = try TestDatabase.fingerprint(connection)
      let failure = try #require(
        Self.failure {
          try Self.importText(.invoices, "invoices-v2.csv", changed, connection)
        })
      #expect(
        failure.problems == [
          ImportProblem(
            line: 4, column: "document", value: "INV-2",
            reason:
              "document is already imported with different content; use --replace to replace it",
            code: "E-IMPORT-CONFLICT")
        ])
      #expect(try TestDatabase.fingerprint(connection) == before)
      let replaced = try Self.importText(
        .invoices, "invoices-v2.csv", changed, connection, replace: true)
      #expect((replaced.new, replaced.changed, replaced.unchanged) == (0, 1, 2))
      let inv2 = try connection.query(
        "SELECT sum(qty) AS qty, sum(net_amount_minor) AS net FROM invoice_lines WHERE document = $1",
        ["INV-2"], purpose: "read INV-2")[0]
      #expect(try inv2.int("qty") == 12)
      #expect(try inv2.int64("net") == 192_00)
      // A document number may never move to another dealer, even with --replace.
      let moved = ImportFixtures.invoices.replacingOccurrences(
        of: "INV-2,invoice,D-002", with: "INV-2,invoice,D-003")
      let foreign = try #require(
        Self.failure {
          try Self.importText(.invoices, "moved.csv", moved, connection, replace: true)
        })
      #expect(foreign.problems.map(\.reason) == ["document number is already used by dealer D-002"])
    }
  }

  @Test("prices and payments: same key, other values conflict; --replace replaces")
  func keyedConflicts() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try Self.importMasterData(connection)
      try Self.importText(.invoices, "invoices.csv", ImportFixtures.invoices, connection)
      try Self.importText(.payments, "payments.csv", ImportFixtures.payments, connection)
      let newPrice = ImportFixtures.prices.replacingOccurrences(of: "SKU-2,20,", with: "SKU-2,21,")
      let priceFailure = try #require(
        Self.failure {
          try Self.importText(.prices, "prices.csv", newPrice, connection)
        })
      #expect(
        priceFailure.lines.first
          == "prices.csv:3: column effective_from: value '2026-01-01': already imported with other values (2000); use --replace to replace it (E-IMPORT-CONFLICT)"
      )
      let replaced = try Self.importText(.prices, "prices.csv", newPrice, connection, replace: true)
      #expect((replaced.new, replaced.changed, replaced.unchanged) == (0, 1, 2))
      let otherDealer =
        "payment,dealer,date,gross_amount,invoice\nP-1,D-002,2026-07-08,480000.00,\n"
      let paymentFailure = try #require(
        Self.failure {
          try Self.importText(.payments, "payments.csv", otherDealer, connection, replace: true)
        })
      #expect(paymentFailure.problems.map(\.code) == ["E-IMPORT-CONFLICT"])
    }
  }

  @Test("master data re-import updates changed attributes and counts them")
  func masterDataUpdates() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try Self.importMasterData(connection)
      let updated =
        ImportFixtures.dealers
        .replacingOccurrences(
          of: "D-003,Ёлка-Маркет,bronze,retail,east,suspended",
          with: "D-003,Ёлка-Маркет,silver,retail,east,active")
        + "D-004,Новый,bronze,retail,west,active\n"
      let report = try Self.importText(.dealers, "dealers.csv", updated, connection)
      #expect(report.summary == "dealers.csv: dealers: 4 rows: 1 new, 1 changed, 2 unchanged")
      let d3 = try connection.query(
        "SELECT tier, status FROM dealers WHERE dealer_id = 'D-003'", purpose: "read")[0]
      #expect(try d3.string("tier") == "silver")
      #expect(try d3.string("status") == "active")
    }
  }

  @Test("dealers.csv payment_terms: read when present, optional, a bad value refused at its cell")
  func dealerPaymentTerms() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      func stored() throws -> [String: String] {
        Dictionary(
          uniqueKeysWithValues: try TermsFixtures.store(connection).dealers().map {
            ($0.code, $0.paymentTerms)
          })
      }
      // Without the column (the file format before it existed): no payment terms recorded.
      try Self.importMasterData(connection)
      #expect(try stored() == ["D-001": "", "D-002": "", "D-003": ""])
      let header = "dealer,name,tier,segment,region,status,payment_terms\n"
      let withTerms =
        header + """
          D-001,Дилер «Север»,gold,retail,north,active, prepayment
          D-002,"Acme, Inc",silver,b2b,south,active,net30
          D-003,Ёлка-Маркет,bronze,retail,east,suspended,

          """
      let report = try Self.importText(.dealers, "dealers.csv", withTerms, connection)
      #expect(report.summary == "dealers.csv: dealers: 3 rows: 0 new, 2 changed, 1 unchanged")
      // Trimmed like every value; an empty cell records none.
      #expect(try stored() == ["D-001": "prepayment", "D-002": "net30", "D-003": ""])
      // A file without the column says nothing about payment terms: they stay as stored.
      let again = try Self.importText(.dealers, "dealers.csv", ImportFixtures.dealers, connection)
      #expect(again.summary == "dealers.csv: dealers: 3 rows: 0 new, 0 changed, 3 unchanged")
      #expect(try stored()["D-001"] == "prepayment")
      // The column present with an empty cell clears them.
      let cleared = withTerms.replacingOccurrences(of: " prepayment", with: "")
      try Self.importText(.dealers, "dealers.csv", cleared, connection)
      #expect(try stored()["D-001"] == "")
      let tooLong = String(repeating: "n", count: 41)
      let bad = try #require(
        Self.failure {
          try Self.importText(
            .dealers, "dealers.csv", header + "D-009,New,gold,retail,west,active,\(tooLong)\n",
            connection)
        })
      #expect(
        bad.lines == [
          "dealers.csv:2: column payment_terms: value '\(tooLong)': is longer than 40 characters (E-IMPORT-VALUE)",
          "dealers.csv: 1 problem; nothing was imported",
        ])
      #expect(try stored()["D-009"] == nil)
      // A header that is neither form names both.
      let wrong = try #require(
        Self.failure {
          try Self.importText(
            .dealers, "dealers.csv", "dealer,name,tier,segment,region,status,terms\n", connection)
        })
      #expect(
        wrong.lines.first
          == "dealers.csv:1: column (header): value 'dealer,name,tier,segment,region,status,terms': the header must be exactly dealer,name,tier,segment,region,status,payment_terms or dealer,name,tier,segment,region,status (in this order) (E-IMPORT-HEADER)"
      )
    }
  }

  @Test("problem listings stop at the limit and count the rest")
  func listingLimit() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      let rows = (1...150).map { "D-\($0),Dealer \($0),gold,retail,north,dormant" }
      let text = "dealer,name,tier,segment,region,status\n" + rows.joined(separator: "\n") + "\n"
      let failure = try #require(
        Self.failure {
          try Self.importText(.dealers, "dealers.csv", text, connection)
        })
      #expect(failure.totalProblems == 150)
      #expect(failure.problems.count == ImportFailure.listLimit)
      #expect(failure.problems.first?.line == 2)
      #expect(failure.problems.last?.line == 101)
      #expect(
        failure.lines.suffix(2) == [
          "and 50 more", "dealers.csv: 150 problems; nothing was imported",
        ])
      #expect(
        failure.lines[0]
          == "dealers.csv:2: column status: value 'dormant': must be one of active, suspended, closed (E-IMPORT-VALUE)"
      )
    }
  }

  @Test("a wrong header, invalid UTF-8 and an empty file are refused before staging")
  func fileLevelProblems() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      let header = try #require(
        Self.failure {
          try Self.importText(.products, "p.csv", "sku;name;category;brand;cost\n", connection)
        })
      #expect(header.problems.map(\.code) == ["E-IMPORT-HEADER"])
      var latin1 = Data("sku,name,category,brand,cost\nSKU-1,".utf8)
      latin1.append(contentsOf: [0xC4, 0x72, 0x69, 0x6C, 0x6C])
      latin1.append(contentsOf: Array(",tools,Bosch,1.00\n".utf8))
      do {
        try CSVImport.run(
          .products, fileName: "p.csv", bytes: latin1, replace: false, connection: connection)
        Issue.record("invalid UTF-8 must be refused")
      } catch let failure as ImportFailure {
        #expect(failure.problems.map(\.line) == [2])
        #expect(failure.problems.map(\.code) == ["E-IMPORT-ENCODING"])
      }
      let empty = try #require(
        Self.failure { try Self.importText(.products, "p.csv", "", connection) })
      #expect(empty.problems.map(\.code) == ["E-IMPORT-HEADER"])
    }
  }

  @Test("rebate import prints FILE:LINE errors and exits 1; a good file exits 0")
  func commandLine() throws {
    try TestDatabase.with { database in
      let dealers = try temporaryFile("dealers.csv", ImportFixtures.dealers)
      let good = runCLI(["import", "dealers", dealers, "--database", database.conninfo])
      #expect(good.status == 0)
      #expect(good.out == "dealers.csv: dealers: 3 rows: 3 new, 0 changed, 0 unchanged\n")
      let products = try temporaryFile(
        "products.csv",
        "sku,name,category,brand,cost\nSKU-1,Drill,tools,Bosch,12,5\nSKU-2,,tools,Bosch,abc\n")
      let bad = runCLI(["import", "products", products, "--database", database.conninfo])
      #expect(bad.status == 1)
      #expect(
        bad.err == """
          products.csv:2: column (record): value 'SKU-1,Drill,tools,Bosch,12,5': has 6 fields, expected 5 (E-IMPORT-CSV)
          products.csv:3: column name: value '': is required (E-IMPORT-REQUIRED)
          products.csv:3: column cost: value 'abc': is not an amount like 1234.50 (dot decimals, at most 2, not negative) (E-IMPORT-NUMBER)
          products.csv: 3 problems; nothing was imported

          """)
    }
  }
}
