import Foundation
import PostgresClient
import Testing

/// A close killed with SIGKILL while it writes leaves no partial result: the draft is written in
/// one transaction, so the database holds exactly what it held before, and a re-run succeeds.
@Suite("Period close survives SIGKILL")
struct CloseKillTests {
  /// The real `rebate` binary, built next to the test bundle.
  static func binary() throws -> String {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
    ].map { $0.appendingPathComponent("rebate").path }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { throw HarnessError("no rebate binary next to the tests: \(candidates)") }
    return found
  }

  /// 1,000 dealers × 20 invoices × 5 lines, each invoice paid in full 12 days after its date.
  static let volume = [
    """
    INSERT INTO dealers SELECT 'K' || lpad(g::text, 5, '0'), 'Dealer ' || g, 'Gold',
      CASE WHEN g % 2 = 0 THEN 'retail' ELSE 'b2b' END, 'north', 'active'
    FROM generate_series(1, 1000) g
    """,
    "INSERT INTO products VALUES ('BIG', 'Boiler', 'Heating', 'Acme', 10000)",
    """
    INSERT INTO invoices
    SELECT d.dealer_id, d.dealer_id || '-I' || i, 'invoice', date '2026-07-01' + i * 4,
      date '2026-07-31' + i * 4, 20, NULL, md5(d.dealer_id || i)
    FROM dealers d, generate_series(1, 20) i
    """,
    """
    INSERT INTO invoice_lines
    SELECT dealer_id, document, l, 'BIG', 10 + l, 100000, 100000, (10 + l) * 100000
    FROM invoices, generate_series(1, 5) l
    """,
    """
    INSERT INTO payments
    SELECT i.dealer_id, i.document || '-P', i.issued_on + 12, sum(l.net_amount_minor) * 6 / 5,
      i.document
    FROM invoices i JOIN invoice_lines l USING (dealer_id, document)
    GROUP BY i.dealer_id, i.document, i.issued_on
    """,
  ]

  struct State: Equatable {
    let lines: Int64
    let total: Int64
    let status: String?
    let fingerprint: String?
  }

  func state(_ connection: Connection) throws -> State {
    let row = try connection.query(
      """
      SELECT (SELECT count(*) FROM results WHERE period_key = '2026-Q3') AS lines,
        (SELECT coalesce(sum(amount_minor), 0) FROM results WHERE period_key = '2026-Q3') AS total,
        (SELECT status FROM periods WHERE period_key = '2026-Q3') AS status,
        (SELECT fingerprint FROM periods WHERE period_key = '2026-Q3') AS fingerprint
      """, purpose: "read the state of 2026-Q3")[0]
    return State(
      lines: try row.int64("lines"), total: try row.int64("total"),
      status: try row.optionalString("status"), fingerprint: try row.optionalString("fingerprint"))
  }

  func run(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Self.binary())
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Starts a close and kills it once its results COPY is running on the server.
  func killWhileWriting(_ arguments: [String], _ watcher: Connection) throws {
    let process = try run(arguments)
    let deadline = Date().addingTimeInterval(120)
    var writing = false
    while !writing && process.isRunning && Date() < deadline {
      writing =
        try watcher.query(
          """
          SELECT 1 FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND query LIKE 'COPY results%'
          """, purpose: "watch the close"
        ).rowCount > 0
      if !writing { usleep(20_000) }
    }
    #expect(writing, "the close reached its results COPY")
    usleep(300_000)
    #expect(process.isRunning, "the close was still running when killed")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(process.terminationStatus == SIGKILL)
    // The server rolls back once it notices the client is gone.
    while try watcher.query(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      purpose: "wait for the killed sessions"
    ).rowCount > 0 {
      usleep(20_000)
    }
  }

  @Test("SIGKILL midway leaves no partial result; a re-run succeeds with the same fingerprint")
  func killMidway() throws {
    try TestDatabase.with { database in
      let watcher = try database.connect()
      defer { watcher.close() }
      for statement in Self.volume { try watcher.execute(statement, purpose: "generate volume") }
      let policy = try temporaryFile(
        "policy.toml", CloseFixtures.policy(volume: #"scale = "incremental""#))
      let arguments = [
        "period", "close", "--period", "2026-Q3", "--policy", policy, "--database",
        database.conninfo,
      ]
      try killWhileWriting(arguments, watcher)
      #expect(try state(watcher) == State(lines: 0, total: 0, status: nil, fingerprint: nil))

      let complete = try run(arguments)
      complete.waitUntilExit()
      #expect(complete.terminationStatus == 0)
      let draft = try state(watcher)
      #expect(draft.lines == 1_000 * 2 && draft.status == "draft" && draft.fingerprint != nil)

      try killWhileWriting(arguments, watcher)
      #expect(try state(watcher) == draft, "the earlier draft is untouched, not half replaced")

      let rerun = try run(arguments)
      rerun.waitUntilExit()
      #expect(rerun.terminationStatus == 0)
      #expect(try state(watcher) == draft, "the re-run reproduces the same draft byte for byte")
    }
  }
}
