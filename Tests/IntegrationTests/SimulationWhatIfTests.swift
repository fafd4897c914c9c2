import Foundation
import PostgresClient
import Testing

/// `rebate simulate --policy --period`: the what-if on a closed period's real history. The
/// policy in force reproduces the stored result exactly; a draft shows its differences; and
/// nothing is written either way (every table's checksum is unchanged).
@Suite("What-if on real history through PostgreSQL")
struct SimulationWhatIfTests {
  func rebate(_ database: TestDatabase, _ arguments: [String]) throws -> String {
    let run = runCLI(arguments + ["--database", database.conninfo])
    guard run.status == 0 else {
      throw HarnessError("rebate \(arguments.joined(separator: " ")) failed: \(run.err)")
    }
    return run.out
  }

  static let incremental = CloseFixtures.policy(volume: #"scale = "incremental""#)
  static let retroactive = CloseFixtures.policy(volume: #"scale = "retroactive""#)

  /// Q3 closed and approved under the incremental policy; returns its fingerprint.
  func closedQ3(_ database: TestDatabase) throws -> String {
    try CloseFixtures.load(database)
    let policy = try temporaryFile("policy.toml", Self.incremental)
    _ = try rebate(database, ["period", "close", "--period", "2026-Q3", "--policy", policy])
    let approved = try rebate(
      database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
    return String(try #require(approved.split(separator: " ").last)).trimmingCharacters(
      in: .whitespacesAndNewlines)
  }

  func simulate(_ database: TestDatabase, _ policy: String, html: Bool = false) throws -> String {
    let file = try temporaryFile("draft.toml", policy)
    return try rebate(
      database,
      ["simulate", "--policy", file, "--period", "2026-Q3"] + (html ? ["--html"] : []))
  }

  @Test("the policy in force reproduces the closed period exactly and writes nothing")
  func policyInForceReproducesTheClose() throws {
    try TestDatabase.with { database in
      let fingerprint = try closedQ3(database)
      let connection = try database.connect()
      let before = try TestDatabase.fingerprint(connection)
      let out = try simulate(database, Self.incremental)
      #expect(out.contains("simulated identical to the actual result (fingerprint \(fingerprint))"))
      let totalRow = try #require(out.split(separator: "\n").first { $0.hasPrefix("total ") })
      let cells = totalRow.split(separator: " ", omittingEmptySubsequences: true)
      // total, actual, share, %, simulated, share, %, change
      #expect(cells[1] == cells[4], "actual and simulated totals are equal: \(totalRow)")
      #expect(cells.last == "0.00")
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }

  @Test("a draft policy shows its differences beside the actual result, in text and HTML")
  func draftPolicyShowsDifferences() throws {
    try TestDatabase.with { database in
      _ = try closedQ3(database)
      let connection = try database.connect()
      let before = try TestDatabase.fingerprint(connection)
      let out = try simulate(database, Self.retroactive)
      #expect(out.contains("simulated differs from the actual result"))
      let rows = out.split(separator: "\n")
      // E5: D-002's 4,200,000.00 earns 44,000.00 incremental, 84,000.00 retroactive.
      let dealer = try #require(rows.first { $0.hasPrefix("D-002 ") })
      #expect(dealer.contains(" 44,000.00 ") && dealer.contains(" 84,000.00 "))
      #expect(dealer.hasSuffix("+40,000.00"))
      let gainer = try #require(
        rows.drop { !$0.hasPrefix("Gain most") }.dropFirst().first)
      #expect(gainer.hasPrefix("D-002 "))
      #expect(gainer.hasSuffix("+40,000.00"))
      let html = try simulate(database, Self.retroactive, html: true)
      #expect(html.contains("<h2>Lose most</h2>"))
      #expect(html.contains("<td>+40,000.00</td>"))
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }

  @Test("a period never computed cannot be simulated against: E-CLOSE-NOT-FOUND")
  func uncomputedPeriodIsRefused() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let run = runCLI([
        "simulate", "--policy", try temporaryFile("draft.toml", Self.retroactive), "--period",
        "2026-Q3", "--database", database.conninfo,
      ])
      #expect(run.status == 1)
      #expect(run.err.hasPrefix("E-CLOSE-NOT-FOUND"))
    }
  }
}

/// `rebate simulate SCENARIO`: a scenario file with problems, or figures that differ.
@Suite struct SimulateScenarioCommandTests {
  @Test func aScenarioWithProblemsIsRefusedWithEveryProblem() throws {
    let file = try temporaryFile(
      "bad.toml", "[scenario]\nname = \"bad\"\nperiod = \"2026-Q9\"\n")
    let run = runCLI(["simulate", file])
    #expect(run.status == 1)
    #expect(run.err.hasPrefix("E-SCENARIO-INVALID"))
    #expect(run.err.contains("E-POLICY-MISSING-KEY"))
    #expect(run.err.contains(":3:10: E-POLICY-VALUE: scenario.period"))
  }

  @Test func aScenarioWhoseFiguresDifferExitsOne() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let good = try String(
      contentsOf: root.appendingPathComponent("scenarios/e04-early-payment.toml"), encoding: .utf8)
    let ok = runCLI(["simulate", try temporaryFile("e04.toml", good)])
    #expect(ok.status == 0)
    #expect(ok.out.contains("  ok    D-E4 early_payment = 11500.00"))
    let wrong = good.replacingOccurrences(of: "amount = 11500.00", with: "amount = 11500.01")
    let run = runCLI(["simulate", try temporaryFile("e04-wrong.toml", wrong)])
    #expect(run.status == 1)
    #expect(run.out.contains("FAIL  D-E4 early_payment = 11500.01  (computed 11500.00)"))
    #expect(run.err.hasPrefix("E-SCENARIO-MISMATCH"))
  }
}
