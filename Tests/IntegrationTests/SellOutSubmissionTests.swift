import Foundation
import PostgresClient
import RebateCore
import RebateStore
import Testing

@Suite("Sell-out submissions in PostgreSQL")
struct SellOutSubmissionTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("SellOutTests/Fixtures/bad")

  static func rowCount(_ connection: Connection, _ table: String, _ dealer: String) throws -> Int {
    try connection.query(
      "SELECT count(*) AS n FROM \(table) WHERE dealer_id = $1", [dealer], purpose: "count")[0]
      .int("n")
  }

  @Test("a file becomes version 1; the same bytes again are one submission; a change is v2")
  func versions() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      let first = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07", text: SellOutFixtures.e8July,
        at: "2026-08-03T09:15:00Z")
      #expect(first.status == 0, "\(first.err)")
      #expect(first.out.contains("D-E8 2026-07: "))
      #expect(first.out.contains("stored as version 1, 1 lines"))
      #expect(first.out.contains("received 2026-08-03T09:15:00Z"))
      let before = try TestDatabase.fingerprint(connection)
      let again = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07", text: SellOutFixtures.e8July,
        at: "2026-08-20T00:00:00Z", name: "again.csv")
      #expect(again.status == 0)
      #expect(again.out.contains("the same file as version 1 received 2026-08-03T09:15:00Z"))
      #expect(try TestDatabase.fingerprint(connection) == before)
      let changed = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07",
        text: SellOutFixtures.e8July + "16.07.2026;P-1;2\n", at: "2026-08-12")
      #expect(changed.status == 0, "\(changed.err)")
      #expect(changed.out.contains("stored as version 2, 2 lines"))
      let store = SellOutStore(connection: connection)
      let records = try store.submissions(dealer: "D-E8")
      #expect(records.map(\.version) == [1, 2])
      #expect(records.map(\.lineCount) == [1, 2])
      #expect(records.map(\.submittedAt) == ["2026-08-03T09:15:00Z", "2026-08-12T00:00:00Z"])
      // Version 1 is kept byte for byte, with its hash.
      let stored = try connection.query(
        """
        SELECT convert_from(raw_bytes, 'UTF8') AS text, raw_sha256 FROM sellout_submissions
        WHERE dealer_id = 'D-E8' AND version = 1
        """, purpose: "read v1")[0]
      #expect(try stored.string("text") == SellOutFixtures.e8July)
      #expect(try stored.string("raw_sha256") == SHA256.hex(Array(SellOutFixtures.e8July.utf8)))
      // The current version is what inventory reads: 42 units sold in July.
      let sales = try store.sales(dealer: "D-E8", before: try Day.parse("2026-08-01"))
      #expect(sales.map(\.quantity) == [40, 2])
    }
  }

  @Test("the same bytes cannot be the report of a second month")
  func sameFileOtherMonth() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      let header = "date,sku,qty\n"
      #expect(
        try SellOutFixtures.submit(
          database, dealer: "D-E8", month: "2026-07", text: header, at: "2026-08-01"
        ).status == 0)
      let second = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-08", text: header, at: "2026-09-01")
      #expect(second.status == 1)
      #expect(second.err.contains("E-SELLOUT-SAME-FILE-OTHER-MONTH"))
      #expect(try Self.rowCount(connection, "sellout_submissions", "D-E8") == 1)
    }
  }

  @Test("every error of a file is printed with file, line, column, value and reason")
  func errorsListed() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      let result = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07",
        text: "date,sku,qty\n2026-07-01,P-1,5\n2026-08-01,P-1,x\n2026-07-02,NOPE,3\n",
        at: "2026-08-01", name: "july.csv")
      #expect(result.status == 1)
      let lines = result.err.split(separator: "\n").map(String.init)
      #expect(lines.count == 4)
      #expect(
        lines[0].hasSuffix(
          "july.csv:3: column date: value '2026-08-01': outside the reported month 2026-07; send it with that month's report (E-SELLOUT-DATE-OUTSIDE-MONTH)"
        ))
      #expect(
        lines[1].hasSuffix("july.csv:3: column qty: value 'x': not a whole number (E-SELLOUT-QTY)"))
      #expect(lines[2].contains("july.csv:4: column sku: value 'NOPE': "))
      #expect(lines[2].hasSuffix("(E-SELLOUT-SKU-UNKNOWN)"))
      #expect(lines[3].hasPrefix("E-SELLOUT-REJECTED: "))
      #expect(lines[3].contains("3 errors; nothing stored"))
      #expect(try Self.rowCount(connection, "sellout_submissions", "D-E8") == 0)
    }
  }

  @Test("an unknown dealer, a quarter for a month and a bad --at are refused")
  func refusals() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      let unknown = try SellOutFixtures.submit(
        database, dealer: "D-404", month: "2026-07", text: SellOutFixtures.e8July, at: "2026-08-01")
      #expect(unknown.status == 1)
      #expect(unknown.err.contains("E-SELLOUT-UNKNOWN-DEALER: no dealer 'D-404'"))
      let quarter = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-Q3", text: SellOutFixtures.e8July, at: "2026-08-01")
      #expect(quarter.status == 2)
      let badTime = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07", text: SellOutFixtures.e8July,
        at: "2026-08-01T25:00:00Z")
      #expect(badTime.status == 2)
      #expect(badTime.err.contains("E-SELLOUT-AT"))
      #expect(try Self.rowCount(connection, "sellout_submissions", "D-E8") == 0)
    }
  }

  @Test("the dealer's own column names and product codes are used when reading its files")
  func mappingAndCodes() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      let url = database.conninfo
      let map = runCLI([
        "sellout", "map", "--dealer", "D-E8", "--column", "Отгружено клиенту", "--as", "quantity",
        "--database", url,
      ])
      #expect(map.status == 0, "\(map.err)")
      #expect(map.out.contains("D-E8: column 'Отгружено клиенту' → quantity"))
      let badCodes = try temporaryFile("codes.csv", "dealer_code,sku\nK-1,P-1\nK-1,P-7\nK-2,NOPE\n")
      let refused = runCLI(["sellout", "codes", "--dealer", "D-E8", badCodes, "--database", url])
      #expect(refused.status == 1)
      #expect(refused.err.contains("codes.csv:3: value 'K-1': code already mapped on line 2"))
      #expect(refused.err.contains("codes.csv:4: value 'NOPE': no such SKU in our catalogue"))
      #expect(try Self.rowCount(connection, "sellout_code_xref", "D-E8") == 0)
      let codes = try temporaryFile("codes.csv", "dealer_code;sku\nКОТ-1;P-1\n")
      let loaded = runCLI(["sellout", "codes", "--dealer", "D-E8", codes, "--database", url])
      #expect(loaded.status == 0, "\(loaded.err)")
      let result = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07",
        text: "Дата;Код товара;Отгружено клиенту\n15.07.2026;КОТ-1;7\n", at: "2026-08-02")
      #expect(result.status == 0, "\(result.err)")
      let sales = try SellOutStore(connection: connection).sales(
        dealer: "D-E8", before: try Day.parse("2026-08-01"))
      #expect(sales.map(\.sku) == ["P-1"])
      #expect(sales.map(\.quantity) == [7])
      // Returns are refused until the dealer's terms allow them.
      let negative = "date,sku,qty\n2026-07-20,P-1,-2\n"
      #expect(
        try SellOutFixtures.submit(
          database, dealer: "D-E8", month: "2026-07", text: negative, at: "2026-08-03"
        ).status == 1)
      #expect(
        runCLI(["sellout", "returns", "--dealer", "D-E8", "yes", "--database", url]).status == 0)
      #expect(
        try SellOutFixtures.submit(
          database, dealer: "D-E8", month: "2026-07", text: negative, at: "2026-08-03"
        ).status == 0)
    }
  }

  @Test("every file of the bad corpus is rejected through the CLI and changes no table")
  func badCorpusChangesNothing() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
      .filter { $0.hasSuffix(".csv") }.sorted()
    #expect(names.count >= 30)
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      // The corpus' cross-reference, including a code that points outside the catalogue.
      try connection.execute(
        """
        INSERT INTO sellout_code_xref (dealer_id, dealer_code, sku) VALUES
          ('D-CORPUS', 'D-100', 'TV-55'), ('D-CORPUS', 'Д-100', 'SB-100'),
          ('D-CORPUS', 'D-999', 'XX-NOT-OURS')
        """, purpose: "corpus codes")
      #expect(
        try SellOutFixtures.submit(
          database, dealer: "D-CORPUS", month: "2026-07",
          text: "date,sku,qty\n2026-07-01,TV-55,1\n", at: "2026-08-01"
        ).status == 0)
      let before = try TestDatabase.fingerprint(connection)
      for name in names {
        let path = Self.corpus.appendingPathComponent(name).path
        let expected = try String(
          contentsOfFile: String(path.dropLast(4)) + ".expected", encoding: .utf8
        ).split(separator: "\n").filter { !$0.hasPrefix("more,") }
        let result = SellOutFixtures.submit(
          database, dealer: "D-CORPUS", month: "2026-07", path: path, at: "2026-08-05")
        #expect(result.status == 1, "\(name)")
        let printed = result.err.split(separator: "\n").filter { $0.hasSuffix(")") }
          .filter { $0.contains("(E-SELLOUT-") }
        #expect(printed.count == expected.count, "\(name)")
        for (line, entry) in zip(printed, expected) {
          let parts = entry.split(separator: ",", omittingEmptySubsequences: false)
          let column = parts.dropFirst().dropLast().joined(separator: ",")
          let place = parts[0] == "0" ? "\(path): " : "\(path):\(parts[0]): "
          #expect(line.hasPrefix(place), "\(name): \(line)")
          if !column.isEmpty { #expect(line.contains(": column \(column): "), "\(name)") }
          #expect(line.hasSuffix("(\(parts.last!))"), "\(name): \(line)")
        }
        #expect(result.err.contains("E-SELLOUT-REJECTED: \(path): "), "\(name)")
      }
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }
}
