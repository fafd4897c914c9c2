import Foundation
import PostgresClient
import Testing

/// Error codes that only a database changed behind the engine's back, or a long history, can
/// produce. Each test makes the real command line emit the code: the tampering is plain SQL,
/// which is how a corrupt value arrives (a hand edit, a restore, another program), and the
/// history is built through the command itself.
@Suite("Error codes of stored data")
struct StoredDataErrorCodeTests {
  static let policy = CloseFixtures.policy(volume: #"scale = "incremental""#)

  func rebate(_ database: TestDatabase, _ arguments: [String]) -> (
    status: Int32, out: String, err: String
  ) {
    runCLI(arguments + ["--database", database.conninfo])
  }

  func close(_ database: TestDatabase, _ period: String) throws -> (
    status: Int32, out: String, err: String
  ) {
    let file = try temporaryFile("policy.toml", Self.policy)
    return rebate(database, ["period", "close", "--period", period, "--policy", file])
  }

  func periodRow(_ connection: Connection, _ period: String) throws -> (
    status: String, fingerprint: String?
  )? {
    let rows = try connection.query(
      "SELECT status, fingerprint FROM periods WHERE period_key = $1", [period],
      purpose: "read period")
    guard let row = rows.rows.first else { return nil }
    return (try row.string("status"), try row.optionalString("fingerprint"))
  }

  @Test("E-CLOSE-FINGERPRINT: a draft result changed by SQL is not approved; a re-run heals it")
  func aChangedDraftIsNotApproved() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let computed = try close(database, "2026-Q3")
      try #require(computed.status == 0, "\(computed.err)")
      let connection = try database.connect()
      defer { connection.close() }
      let draft = try #require(try periodRow(connection, "2026-Q3"))
      #expect(draft.status == "draft")
      let stored = try #require(draft.fingerprint)
      // D-002's incremental volume bonus is 44,000.00; someone makes it 45,000.00.
      let changed = try connection.execute(
        """
        UPDATE results SET amount_minor = 4500000
        WHERE dealer_id = 'D-002' AND period_key = '2026-Q3' AND mechanic = 'volume_bonus'
          AND amount_minor = 4400000
        """, purpose: "tamper with a draft result")
      try #require(changed == 1)

      let refused = rebate(database, ["period", "approve", "--period", "2026-Q3", "--by", "carol"])
      #expect(refused.status == 1)
      #expect(refused.out == "")
      let message = refused.err.trimmingCharacters(in: .newlines)
      #expect(message.hasPrefix("E-CLOSE-FINGERPRINT: period 2026-Q3: stored results hash to "))
      #expect(
        message.hasSuffix(
          ", not the draft's \(stored.prefix(16))…; re-run the close before approving"))
      #expect(!message.contains("hash to \(stored.prefix(16))"), "the hash named is the new one")
      #expect(try periodRow(connection, "2026-Q3")?.status == "draft", "nothing was closed")

      // The remedy the message names works: the close recomputes 44,000.00, approve accepts.
      try #require(try close(database, "2026-Q3").status == 0)
      let approved = rebate(
        database, ["period", "approve", "--period", "2026-Q3", "--by", "carol"])
      #expect(approved.status == 0, "\(approved.err)")
      #expect(try periodRow(connection, "2026-Q3")?.fingerprint == stored)
    }
  }

  @Test("E-CLOSE-ROW: an invoice line naming a product not in master data stops the close")
  func aLineOfAnUnknownProductStopsTheClose() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let connection = try database.connect()
      defer { connection.close() }
      // invoice_lines has no foreign key to products (bulk-import speed, schema/002): a line
      // written around the importer can name a SKU that does not exist.
      try connection.execute(
        """
        INSERT INTO invoice_lines (dealer_id, document, line, sku, qty, list_price_minor,
          net_unit_price_minor, net_amount_minor)
        VALUES ('D-002', 'INV-08', 2, 'GONE', 3, 100000, 100000, 300000)
        """, purpose: "add a line of an unknown product")
      let before = try TestDatabase.fingerprint(connection)

      let refused = try close(database, "2026-Q3")
      #expect(refused.status == 1)
      #expect(refused.out == "")
      #expect(refused.err == "E-CLOSE-ROW: document INV-08: product GONE is not in master data\n")
      #expect(try TestDatabase.fingerprint(connection) == before, "nothing was written")
    }
  }

  @Test("E-CLOSE-SPOOL: no folder for the grade rows' spool file; nothing is written")
  func aSpoolThatCannotBeCreated() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let connection = try database.connect()
      defer { connection.close() }
      let before = try TestDatabase.fingerprint(connection)
      let file = try temporaryFile("policy.toml", Self.policy)
      let refused = runCLI(
        [
          "period", "close", "--period", "2026-Q3", "--policy", file, "--database",
          database.conninfo,
        ], environment: ["TMPDIR": "/nonexistent-rebate-spool"])
      #expect(refused.status == 1)
      #expect(
        refused.err
          == "E-CLOSE-SPOOL: could not create a spool file in /nonexistent-rebate-spool: "
          + "No such file or directory; set TMPDIR to a writable folder with room for the grade "
          + "rows\n")
      #expect(try TestDatabase.fingerprint(connection) == before, "nothing was written")
    }
  }

  @Test("E-DB-CORRUPT: terms whose effective date reads back as 'infinity' are refused")
  func termsWithAnImpossibleDate() throws {
    try TestDatabase.with { database in
      for arguments in [
        ["import", "dealers", "Tests/golden/data/dealers.csv"],
        ["policy", "load", "Tests/golden/data/policy-e1-v1.toml", "--by", "alice.admin"],
        [
          "terms", "issue", "--dealer", "D001", "--policy", "e1-cascade", "--tier", "Gold",
          "--from", "2026-01-01", "--by", "sam.sales",
        ],
      ] {
        let run = rebate(database, arguments)
        try #require(run.status == 0, "\(arguments): \(run.err)")
      }
      let connection = try database.connect()
      defer { connection.close() }
      // PostgreSQL's date type accepts 'infinity'; the engine's calendar has no such day.
      try connection.execute(
        "UPDATE dealer_terms SET effective_from = 'infinity' WHERE dealer_id = 'D001'",
        purpose: "tamper with the terms' date")

      for arguments in [
        ["terms", "show", "--dealer", "D001"],
        [
          "quote", "--dealer", "D001", "--sku", "PT-DRL-0001", "--qty", "5", "--date", "2026-07-15",
        ],
      ] {
        let refused = rebate(database, arguments)
        #expect(refused.status == 1, "\(arguments)")
        #expect(refused.out == "", "\(arguments)")
        #expect(
          refused.err
            == "E-DB-CORRUPT: dealer_terms D001 v1: E-CORE-DATE: 'infinity' is not a date: "
            + "expected YYYY-MM-DD\n", "\(arguments)")
      }
    }
  }

  @Test("E-SELLOUT-TOO-MANY-VERSIONS: the 101st version of one dealer-month is refused")
  func theHundredAndFirstVersionIsRefused() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      defer { connection.close() }
      try SellOutFixtures.load(connection)
      // Each version is a correction: one more unit sold on the 15th, so the bytes differ.
      func report(_ units: Int) -> String { "date,sku,qty\n2026-07-15,P-1,\(units)\n" }
      for version in 1...100 {
        let run = try SellOutFixtures.submit(
          database, dealer: "D-E8", month: "2026-07", text: report(version), at: "2026-08-01")
        try #require(run.status == 0, "version \(version): \(run.err)")
        try #require(run.out.contains("stored as version \(version), 1 lines"))
      }
      let before = try TestDatabase.fingerprint(connection)

      let refused = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-07", text: report(101), at: "2026-08-02")
      #expect(refused.status == 1)
      #expect(refused.out == "")
      #expect(
        refused.err
          == "E-SELLOUT-TOO-MANY-VERSIONS: dealer D-E8 already has 100 versions for 2026-07; "
          + "no more accepted\n")
      #expect(try TestDatabase.fingerprint(connection) == before, "nothing was stored")
      // Another month of the same dealer is not affected by July's history.
      let august = try SellOutFixtures.submit(
        database, dealer: "D-E8", month: "2026-08", text: "date,sku,qty\n2026-08-10,P-1,1\n",
        at: "2026-09-01")
      #expect(august.status == 0, "\(august.err)")
      #expect(august.out.contains("stored as version 1, 1 lines"))
    }
  }
}
