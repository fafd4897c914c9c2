import Foundation
import PostgresClient
import Testing

/// Codes at the command line's doors, through the real CLI and a real PostgreSQL: the identifier
/// grammar on every option that names something, no control character in any argument, numbers
/// past an int4 column refused with the option's name, NUL refused before libpq, and a close
/// that names two canonically equivalent dealer codes stored by SQL instead of trapping.
@Suite("Identifiers at the command line")
struct IdentifierDoorTests {
  static let precomposed = "D\u{0401}-7"
  static let decomposed = "D\u{0415}\u{0308}-7"

  func rebate(_ database: TestDatabase, _ arguments: [String]) -> (
    status: Int32, out: String, err: String
  ) {
    runCLI(arguments + ["--database", database.conninfo])
  }

  @Test func theDecomposedCodeIsRefusedByEveryCommandThatNamesADealerSKUOrUser() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let connection = try database.connect()
      defer { connection.close() }
      let before = try TestDatabase.fingerprint(connection)
      let policy = try temporaryFile("policy.toml", CloseFixtures.policy(volume: ""))
      let d = Self.decomposed
      let commands: [(option: String, arguments: [String])] = [
        ("--dealer", ["quote", "--dealer", d, "--sku", "BIG", "--qty", "1"]),
        ("--sku", ["quote", "--dealer", "D-001", "--sku", d, "--qty", "1"]),
        ("--dealer", ["terms", "show", "--dealer", d]),
        (
          "--dealer",
          ["terms", "issue", "--dealer", d, "--policy", "p", "--tier", "Gold", "--by", "x"]
        ),
        (
          "--policy",
          ["terms", "issue", "--dealer", "D-001", "--policy", d, "--tier", "Gold", "--by", "x"]
        ),
        (
          "--by",
          ["terms", "issue", "--dealer", "D-001", "--policy", "p", "--tier", "Gold", "--by", d]
        ),
        ("--dealer", ["terms", "approve", "--dealer", d, "--version", "1", "--by", "x"]),
        ("--by", ["terms", "approve", "--dealer", "D-001", "--version", "1", "--by", d]),
        ("--dealer", ["statement", "--dealer", d, "--period", "2026-Q3"]),
        ("--dealer", ["sellout", "status", "--dealer", d]),
        ("--dealer", ["sellout", "returns", "--dealer", d, "yes"]),
        ("--dealer", ["inventory", "--dealer", d, "--date", "2026-07-31"]),
        ("--sku", ["inventory", "--dealer", "D-001", "--date", "2026-07-31", "--sku", d]),
        ("--dealer", ["waterfall", "--period", "2026-Q3", "--dealer", d]),
        ("--by", ["period", "approve", "--period", "2026-Q3", "--by", d]),
        ("--policy", ["period", "close", "--period", "2026-Q3", "--policy", d]),
        ("--by", ["policy", "load", policy, "--by", d]),
        ("--name", ["users", "add", "--name", d, "--role", "sales"]),
        ("--dealer", ["users", "add", "--name", "u7", "--role", "dealer", "--dealer", d]),
      ]
      for (option, arguments) in commands {
        let run = rebate(database, arguments)
        #expect(run.status == 2, "\(arguments.prefix(2)): \(run.err)")
        #expect(
          run.err.hasPrefix(
            "E-ID-INVALID: \(option) '\(d)' holds U+0308, which a code may not contain\n"),
          "\(arguments.prefix(2)): \(run.err)")
        #expect(run.out == "")
      }
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }

  @Test func controlCharactersInArgumentsAreRefusedAndShownEscaped() {
    let cases: [(arguments: [String], message: String)] = [
      (
        ["quote", "--dealer", "D-001\u{0}x", "--sku", "BIG", "--qty", "1"],
        "E-ARG-CONTROL: --dealer 'D-001\\u{0}x' holds the control character U+0000; "
          + "arguments are one line of printable text"
      ),
      (
        ["users", "add", "--name", "u1", "--role", "sales", "--label=red\u{1B}[31m"],
        "E-ARG-CONTROL: --label '--label=red\\u{1B}[31m' holds the control character U+001B; "
          + "arguments are one line of printable text"
      ),
      (
        ["policy", "check", "file\u{202E}lmot.toml"],
        "E-ARG-CONTROL: argument 1 'file\\u{202E}lmot.toml' holds the control character U+202E; "
          + "arguments are one line of printable text"
      ),
    ]
    for (arguments, message) in cases {
      let run = runCLI(arguments + ["--database", "postgresql:///nowhere"])
      #expect(run.status == 2)
      #expect(run.err.hasPrefix("E-ARG-CONTROL: "))
      #expect(run.err.hasPrefix(message + "\n"), "\(run.err)")
      #expect(!run.err.unicodeScalars.contains { [0x00, 0x1B, 0x202E].contains($0.value) })
    }
    let unknown = runCLI(["bogus\u{7}"])
    #expect(unknown.status == 2)
    #expect(unknown.err == "E-USAGE: unknown command 'bogus\\u{7}'; see 'rebate help'\n")
  }

  @Test func numbersPastAnInt4ColumnAreRefusedWithTheOptionsName() throws {
    try TestDatabase.with { database in
      let version = rebate(
        database, ["terms", "approve", "--dealer", "D-001", "--version", "2147483648", "--by", "x"])
      #expect(version.status == 2)
      #expect(
        version.err.hasPrefix("E-USAGE: --version must be a whole number in 1...2147483647\n"))
      let largest = rebate(
        database, ["terms", "approve", "--dealer", "D-001", "--version", "2147483647", "--by", "x"])
      #expect(largest.status == 1)
      #expect(
        largest.err == "E-TERMS-UNKNOWN-VERSION: dealer D-001 has no terms version 2147483647\n")
      let quantity = rebate(
        database, ["quote", "--dealer", "D-001", "--sku", "BIG", "--qty", "2147483648"])
      #expect(quantity.status == 1)
      #expect(
        quantity.err
          == "E-QUOTE-QUANTITY: quantity 2147483648 must be a whole number in 1...1000000\n")
      let due = rebate(
        database, ["sellout", "status", "--dealer", "D-001", "--due-day", "2147483648"])
      #expect(due.status == 2)
      #expect(due.err.hasPrefix("E-USAGE: --due-day takes a day of the month, 1...31\n"))
    }
  }

  @Test func aNulParameterNeverReachesLibpq() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      defer { connection.close() }
      try connection.execute("CREATE TABLE notes (text text)", purpose: "create")
      do {
        try connection.execute("INSERT INTO notes VALUES ($1)", ["cut\u{0}here"], purpose: "insert")
        Issue.record("a NUL parameter was sent")
      } catch let error as PostgresError {
        #expect(error.code == "E-DB-NUL")
        #expect(
          error.description
            == "E-DB-NUL: insert: parameter $1 holds a NUL byte, which PostgreSQL text cannot hold "
            + "(it would be stored cut at the NUL); nothing was sent")
      }
      let rows = try connection.query("SELECT count(*) AS n FROM notes", purpose: "count")
      #expect(try rows.rows.first?.string("n") == "0")
    }
  }

  /// Two spellings of one dealer code written by SQL (around every door): the close, the
  /// accruals and the what-if refuse with E-DB-CORRUPT naming the dealers table; without the
  /// twin the same close computes D-002's 44,000.00 volume bonus.
  @Test func twinDealerCodesInTheDatabaseStopTheCloseWithACode() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let connection = try database.connect()
      defer { connection.close() }
      try connection.execute(
        """
        INSERT INTO dealers VALUES ($1, 'Pre', 'Gold', 'retail', 'north', 'active'),
          ($2, 'De', 'Gold', 'retail', 'north', 'active')
        """, [Self.precomposed, Self.decomposed], purpose: "twin dealers")
      let policy = try temporaryFile(
        "policy.toml", CloseFixtures.policy(volume: #"scale = "incremental""#))
      for arguments in [
        ["period", "close", "--period", "2026-Q3", "--policy", policy],
        ["accruals", "--period", "2026-Q3", "--policy", policy, "--as-of", "2026-08-31"],
      ] {
        let refused = rebate(database, arguments)
        #expect(refused.status == 1, "\(arguments[0]): \(refused.err)")
        // Which of the two is met second depends on the database's collation.
        #expect(refused.err.hasPrefix("E-DB-CORRUPT: dealers D"), "\(refused.err)")
        #expect(
          refused.err.contains(
            "-7: two dealer codes differ only in their Unicode spelling (the same text, other "
              + "bytes); the engine cannot tell them apart"), "\(refused.err)")
      }
      #expect(
        try connection.query("SELECT count(*) AS n FROM period_runs", purpose: "runs").rows.first?
          .string("n") == "0")
      try connection.execute(
        "DELETE FROM dealers WHERE dealer_id = $1", [Self.decomposed], purpose: "remove twin")
      let closed = rebate(database, ["period", "close", "--period", "2026-Q3", "--policy", policy])
      #expect(closed.status == 0, "\(closed.err)")
      let bonus = try connection.query(
        """
        SELECT sum(amount_minor)::text AS minor FROM results
        WHERE dealer_id = 'D-002' AND period_key = '2026-Q3' AND mechanic = 'volume_bonus'
        """, purpose: "bonus")
      #expect(try bonus.rows.first?.string("minor") == "4400000")
    }
  }

  /// The same for SKUs: the close's product table and the invoice audit refuse twin SKUs.
  @Test func twinSKUsInTheDatabaseStopTheCloseAndTheAuditWithACode() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let connection = try database.connect()
      defer { connection.close() }
      try connection.execute(
        """
        INSERT INTO products VALUES ($1, 'Pre', 'Heating', 'Acme', 100), ($2, 'De', 'Tools', 'Acme', 100)
        """, ["S\u{0401}", "S\u{0415}\u{0308}"], purpose: "twin SKUs")
      let policy = try temporaryFile(
        "policy.toml", CloseFixtures.policy(volume: #"scale = "incremental""#))
      for arguments in [
        ["period", "close", "--period", "2026-Q3", "--policy", policy],
        ["invoices", "audit", "--period", "2026-Q3"],
      ] {
        let refused = rebate(database, arguments)
        #expect(refused.status == 1, "\(arguments[0]): \(refused.err)")
        #expect(refused.err.hasPrefix("E-DB-CORRUPT: products S"), "\(refused.err)")
        #expect(
          refused.err.contains(": two SKUs differ only in their Unicode spelling"),
          "\(refused.err)")
      }
      #expect(
        try connection.query("SELECT count(*) AS n FROM period_runs", purpose: "runs").rows.first?
          .string("n") == "0")
    }
  }
}
