import Foundation
import PostgresClient
import Testing

/// E4, E5, E6, E10, E11, E12 end to end: `rebate import` → `period close` → `period approve` →
/// `statement`, `report cost`, `export credit-notes`, against a real PostgreSQL.
@Suite("Period close through PostgreSQL")
struct CloseLifecycleTests {
  func rebate(_ database: TestDatabase, _ arguments: [String]) throws -> String {
    let run = runCLI(arguments + ["--database", database.conninfo])
    guard run.status == 0 else {
      throw HarnessError("rebate \(arguments.joined(separator: " ")) failed: \(run.err)")
    }
    return run.out
  }

  func close(_ database: TestDatabase, _ period: String, policy: String) throws -> String {
    let file = try temporaryFile("policy.toml", policy)
    return try rebate(database, ["period", "close", "--period", period, "--policy", file])
  }

  func statement(_ database: TestDatabase, _ dealer: String, _ period: String) throws
    -> [String: Any]
  {
    let json = try rebate(
      database, ["statement", "--dealer", dealer, "--period", period, "--format", "json"])
    return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  func amounts(_ statement: [String: Any], _ key: String = "lines") -> [String: String] {
    let lines = statement[key] as? [[String: Any]] ?? []
    return Dictionary(
      uniqueKeysWithValues: lines.map { ($0["mechanic"] as! String, $0["amount"] as! String) })
  }

  static let incremental = CloseFixtures.policy(volume: #"scale = "incremental""#)
  static let retroactive = CloseFixtures.policy(volume: #"scale = "retroactive""#)

  @Test("E4 and E11: early-payment rebate 11,500.00, grade C at 75 % and 1.25 days late")
  func e4AndE11() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try close(database, "2026-Q3", policy: Self.incremental)
      let d001 = try statement(database, "D-001", "2026-Q3")
      #expect(amounts(d001)["early_payment"] == "11500.00")
      let grade = try #require(d001["payment_grade"] as? [String: Any])
      #expect(grade["grade"] as? String == "C")
      #expect(grade["paid_by_due_share"] as? String == "0.7500")
      #expect(grade["weighted_days_late"] as? String == "1.25")
      #expect(d001["status"] as? String == "draft")
    }
  }

  @Test("E5 and E6: 84,000.00 retroactive; 0.00 when growth over last year is 5 % < 10 %")
  func e5AndE6() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try close(database, "2026-Q3", policy: Self.retroactive)
      #expect(amounts(try statement(database, "D-002", "2026-Q3"))["volume_bonus"] == "84000.00")
      _ = try close(
        database, "2026-Q3",
        policy: CloseFixtures.policy(volume: "scale = \"retroactive\"\nmin_growth = \"10%\""))
      let growth = try statement(database, "D-002", "2026-Q3")
      #expect(amounts(growth)["volume_bonus"] == "0.00")
      let line = (growth["lines"] as! [[String: Any]]).first {
        $0["mechanic"] as? String == "volume_bonus"
      }
      let note = (line?["explanation"] as? [String: Any])?["note"] as? String
      #expect(note?.hasPrefix("growth 5.00 % < required 10.00 %") == true)
    }
  }

  @Test("E10: Q3 closed at 44,000.00; a late credit note gives Q4 an adjustment of −6,000.00")
  func e10() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      let first = try close(database, "2026-Q3", policy: Self.incremental)
      let again = try close(database, "2026-Q3", policy: Self.incremental)
      #expect(first == again, "a re-run from the same inputs is byte-identical")
      let approved = try rebate(
        database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
      #expect(approved.contains("period 2026-Q3 closed by finance; fingerprint "))
      #expect(amounts(try statement(database, "D-002", "2026-Q3"))["volume_bonus"] == "44000.00")
      let refused = runCLI([
        "period", "close", "--period", "2026-Q3", "--policy",
        try temporaryFile("p.toml", Self.incremental), "--database", database.conninfo,
      ])
      #expect(refused.status == 1)
      #expect(refused.err.hasPrefix("E-CLOSE-PERIOD-CLOSED"))
      let late = try temporaryFile("late.csv", CloseFixtures.lateDocuments)
      _ = try rebate(database, ["import", "invoices", late])
      _ = try close(database, "2026-Q4", policy: Self.incremental)
      let q4 = try statement(database, "D-002", "2026-Q4")
      let adjustment = try #require((q4["adjustments"] as? [[String: Any]])?.first)
      #expect(adjustment["amount"] as? String == "-6000.00")
      #expect(adjustment["corrects_period"] as? String == "2026-Q3")
      #expect(adjustment["corrects_mechanic"] as? String == "volume_bonus")
      let q3 = try statement(database, "D-002", "2026-Q3")
      #expect(amounts(q3)["volume_bonus"] == "44000.00")
      #expect(q3["status"] as? String == "closed")
      let text = try rebate(database, ["statement", "--dealer", "D-002", "--period", "2026-Q4"])
      #expect(text.contains("adjustment of 2026-Q3 volume_bonus"))
      #expect(text.contains("38,000.00 − 44,000.00 = -6,000.00"))
      let export = try rebate(database, ["export", "credit-notes", "--period", "2026-Q4"])
      #expect(export.contains("credit_note,D-002,2026-Q4,adjustment,2026-Q3,,,,,-6000.00\r\n"))
      #expect(
        export.contains(
          "allocation,D-002,2026-Q4,adjustment,2026-Q3,INV-10,1,BIG,100000.00,-6000.00\r\n"))
    }
  }

  @Test("E10 across a policy change: Q3 is recomputed under the policy it closed with")
  func lateDataUnderTheClosedPolicy() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try close(database, "2026-Q3", policy: Self.incremental)
      _ = try rebate(database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
      func q4Adjustments() throws -> [[String: Any]] {
        _ = try close(database, "2026-Q4", policy: Self.retroactive)
        return try statement(database, "D-002", "2026-Q4")["adjustments"] as? [[String: Any]] ?? []
      }
      // Retroactive would have paid D-002 84,000.00 in Q3 instead of 44,000.00: a policy change
      // is not late data.
      #expect(try q4Adjustments().isEmpty)
      _ = try rebate(
        database,
        ["import", "invoices", try temporaryFile("late.csv", CloseFixtures.lateDocuments)])
      let adjustments = try q4Adjustments()
      #expect(adjustments.count == 1)
      #expect(adjustments.first?["amount"] as? String == "-6000.00")
      #expect(adjustments.first?["corrects_mechanic"] as? String == "volume_bonus")
    }
  }

  @Test("a stored policy that no longer decodes is refused by name, not silently replaced")
  func storedPolicyInvalid() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try close(database, "2026-Q3", policy: Self.incremental)
      let connection = try database.connect()
      defer { connection.close() }
      try connection.execute(
        "UPDATE period_runs SET policy_source = '[policy' WHERE period_key = '2026-Q3'",
        purpose: "damage the stored policy of a draft")
      let report = runCLI([
        "report", "cost", "--period", "2026-Q3", "--database", database.conninfo,
      ])
      #expect(report.status == 1)
      #expect(report.err.hasPrefix("E-POLICY-STORED-INVALID: the policy close-it"))
      #expect(report.err.contains("stored with 2026-Q3 no longer decodes"))
    }
  }

  @Test("E12: 112,700.00 = 2.68 % of 4,200,000.00, under the 3 % cap; credit notes sum exactly")
  func e12() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try close(
        database, "2026-Q3",
        policy: CloseFixtures.policy(
          volume: #"scale = "retroactive""#, extra: CloseFixtures.e12Extra))
      let lines = amounts(try statement(database, "D-E12", "2026-Q3"))
      #expect(lines["early_payment"] == "11500.00")
      #expect(lines["volume_bonus"] == "84000.00")
      #expect(lines["reporting_bonus"] == "14000.00")
      #expect(lines["price_protection"] == "3200.00")
      let cost = try rebate(database, ["report", "cost", "--period", "2026-Q3", "--csv"])
      #expect(cost.contains("dealer,D-E12,112700.00,4200000.00,0.026833,true\r\n"))
      #expect(cost.contains("mechanic,price_protection,3200.00,"))
      let export = try rebate(database, ["export", "credit-notes", "--period", "2026-Q3"])
      var totals: [String: Int64] = [:]
      var allocated: [String: Int64] = [:]
      for row in export.split(separator: "\r\n").dropFirst() {
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        let key = "\(fields[1]) \(fields[3])"
        let minor = Int64(fields[9].replacingOccurrences(of: ".", with: ""))!
        if fields[0] == "credit_note" {
          totals[key, default: 0] += minor
        } else {
          allocated[key, default: 0] += minor
        }
      }
      #expect(totals["D-E12 early_payment"] == 1_150_000)
      #expect(!totals.isEmpty && totals == allocated, "every credit note's allocation sums exactly")
    }
  }

  @Test("a closed period's grades, turnovers, run and documents refuse plain SQL changes")
  func closedRefusesSQL() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try close(database, "2026-Q3", policy: Self.incremental)
      _ = try rebate(database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
      let connection = try database.connect()
      defer { connection.close() }
      for statement in [
        "UPDATE results SET amount_minor = 0 WHERE period_key = '2026-Q3'",
        "DELETE FROM results WHERE period_key = '2026-Q3'",
        "UPDATE dealer_grades SET grade = 'A' WHERE period_key = '2026-Q3'",
        "DELETE FROM period_dealers WHERE period_key = '2026-Q3'",
        "UPDATE period_runs SET policy_ref = 'other' WHERE period_key = '2026-Q3'",
        "UPDATE periods SET status = 'draft' WHERE period_key = '2026-Q3'",
        "UPDATE invoices SET due_on = '2026-12-31' WHERE document = 'INV-E4'",
        "DELETE FROM payments WHERE payment = 'P-1'",
        "TRUNCATE dealer_grades",
      ] {
        do {
          try connection.execute(statement, purpose: "change a closed period")
          Issue.record("accepted: \(statement)")
        } catch let error as PostgresError {
          #expect(error.sqlState == SQLState.closedPeriod, "\(statement)")
        }
      }
      let grade = try connection.query(
        "SELECT grade FROM dealer_grades WHERE period_key = '2026-Q3' AND dealer_id = 'D-001'",
        purpose: "read grade")
      #expect(try grade[0].string("grade") == "C")
    }
  }
}
