import Foundation
import PostgresClient
import Testing

/// Segments, the price waterfall and the cost trend read from a database closed through the
/// real `rebate period close` and `approve` (fixtures: CloseFixtures, figures in comments).
@Suite("Economics through PostgreSQL")
struct EconomicsDatabaseTests {
  let lifecycle = CloseLifecycleTests()

  func closeQ2AndQ3(_ database: TestDatabase) throws {
    try CloseFixtures.load(database)
    for period in ["2026-Q2", "2026-Q3"] {
      _ = try lifecycle.close(database, period, policy: CloseLifecycleTests.retroactive)
      _ = try lifecycle.rebate(
        database, ["period", "approve", "--period", period, "--by", "finance"])
    }
  }

  @Test("cost trend across two closed periods: Q3 201,000.00 of 9,400,000.00 = 2.14 %")
  func trendAcrossClosedPeriods() throws {
    try TestDatabase.with { database in
      try closeQ2AndQ3(database)
      let text = try lifecycle.rebate(database, ["report", "trends"])
      // Q2: only E12-0510 (40,000.00), no bonus reached. Q3: early payment 11,500.00 twice
      // (D-001, D-E12), retro volume 10,000.00 + 84,000.00 + 84,000.00.
      let q2 = try #require(text.split(separator: "\n").first { $0.hasPrefix("2026-Q2") })
      let q3 = try #require(text.split(separator: "\n").first { $0.hasPrefix("2026-Q3") })
      #expect(
        q2.split(separator: " ", omittingEmptySubsequences: true).dropFirst().allSatisfy {
          $0 == "0.00" || $0 == "%"
        })
      #expect(
        q3.split(separator: " ", omittingEmptySubsequences: true).filter { $0 != "%" }.dropFirst()
          == ["0.24", "1.89", "2.14"])
      #expect(text.contains("BONUSES WITHOUT GROWTH\nnone\n"))
      let html = try lifecycle.rebate(database, ["report", "trends", "--html"])
      #expect(html.contains("<polyline"))
      #expect(html.contains(">2026-Q3</text>"))
    }
  }

  @Test("segments of Q3 stored: D-002 and D-E12 champions, D-001 hibernating")
  func segmentsStored() throws {
    try TestDatabase.with { database in
      try closeQ2AndQ3(database)
      let text = try lifecycle.rebate(database, ["segments", "--period", "2026-Q3", "--store"])
      #expect(text.contains("D-001\tR2 F2 M2\thibernating\tC\t91\t\n"))
      #expect(text.contains("D-002\tR5 F4 M5\tchampions\t"))
      #expect(text.contains("D-E12\tR4 F5 M4\tchampions\tC\t20\t\n"))
      let connection = try database.connect()
      defer { connection.close() }
      let rows = try connection.query(
        "SELECT dealer_id, segment FROM dealer_segments WHERE period_key = '2026-Q3' ORDER BY dealer_id",
        purpose: "read stored segments"
      ).rows.map { "\(try $0.string("dealer_id"))=\(try $0.string("segment"))" }
      #expect(rows == ["D-001=hibernating", "D-002=champions", "D-E12=champions"])
      // A re-run replaces, never duplicates.
      _ = try lifecycle.rebate(database, ["segments", "--period", "2026-Q3", "--store"])
      let count = try connection.query(
        "SELECT count(*) AS n FROM dealer_segments", purpose: "count segments"
      ).rows[0].int("n")
      #expect(count == 3)
    }
  }

  @Test("waterfall of D-001's E4 invoice: 1,000,000.00 − 11,500.00 − 10,000.00 = 978,500.00")
  func waterfallOfOneDealer() throws {
    try TestDatabase.with { database in
      try closeQ2AndQ3(database)
      let text = try lifecycle.rebate(
        database, ["waterfall", "--period", "2026-Q3", "--dealer", "D-001"])
      #expect(
        text.contains(
          "D-001\tINV-E4\t1\tBIG\t1,000,000.00\t0.00\t11,500.00\t10,000.00\t0.00\t978,500.00\t"
            + "100,000.00\t878,500.00\t878.50 %\t\n"))
      #expect(!text.contains("below floor"))
    }
  }
}
