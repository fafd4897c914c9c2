import Foundation
import Testing

/// E11 fed forward through PostgreSQL: the grade the Q3 close stores decides Q4's volume bonus
/// under the policy's `eligible_grades`; the RFM segments `rebate segments --store` keeps for Q2
/// decide Q3's under `eligible_segments`.
@Suite("Policy eligibility through PostgreSQL")
struct EligibilityCloseTests {
  let lifecycle = CloseLifecycleTests()

  @Test("Q3 stores grade C for D-001; Q4's volume bonus for A and B only is 0.00 with the reason")
  func gradeFedForward() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try lifecycle.close(database, "2026-Q3", policy: CloseLifecycleTests.retroactive)
      let q3 = try lifecycle.statement(database, "D-001", "2026-Q3")
      #expect((q3["payment_grade"] as? [String: Any])?["grade"] as? String == "C")
      _ = try lifecycle.rebate(
        database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
      let restricted = CloseFixtures.policy(
        volume: "scale = \"retroactive\"\neligible_grades = [\"A\", \"B\"]")
      _ = try lifecycle.close(database, "2026-Q4", policy: restricted)
      let q4 = try lifecycle.statement(database, "D-001", "2026-Q4")
      #expect(lifecycle.amounts(q4)["volume_bonus"] == "0.00")
      let line = (q4["lines"] as? [[String: Any]])?.first {
        $0["mechanic"] as? String == "volume_bonus"
      }
      let note = (line?["explanation"] as? [String: Any])?["note"] as? String
      #expect(note == "not eligible: payment grade C in 2026-Q3 is not one of A, B")
      // Q3 recomputed for late data applies Q3's own eligibility (no grade before it): nothing
      // to adjust.
      #expect((q4["adjustments"] as? [[String: Any]] ?? []).isEmpty)
      let text = try lifecycle.rebate(
        database, ["statement", "--dealer", "D-001", "--period", "2026-Q4"])
      #expect(text.contains("payment grade C in 2026-Q3 is not one of A, B"))
    }
  }

  static let forChampionsAndLoyal = CloseFixtures.policy(
    volume: "scale = \"retroactive\"\neligible_segments = [\"champions\", \"loyal\"]")

  func volumeNote(_ statement: [String: Any]) -> String? {
    let line = (statement["lines"] as? [[String: Any]])?.first {
      $0["mechanic"] as? String == "volume_bonus"
    }
    return (line?["explanation"] as? [String: Any])?["note"] as? String
  }

  @Test("Q2 segments stored: champion D-E12 earns 84,000.00; D-002 (new) and unlisted D-001 0.00")
  func segmentsFedForward() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      // Q2 (only E12-0510 ordered): D-E12 R5 F5 M5, D-002 last ordered 2025-08-15, D-001 never.
      let segments = try lifecycle.rebate(
        database, ["segments", "--period", "2026-Q2", "--store"])
      #expect(segments.contains("D-E12\tR5 F5 M5\tchampions\t"))
      #expect(segments.contains("D-002\tR4 F2 M2\tnew\t"))
      #expect(segments.contains("D-001\tR2 F4 M4\tat_risk\t"))
      let connection = try database.connect()
      defer { connection.close() }
      // A dealer the stored segmentation leaves out (say, added after it ran).
      try connection.execute(
        "DELETE FROM dealer_segments WHERE dealer_id = 'D-001'", purpose: "unlist D-001")
      _ = try lifecycle.close(database, "2026-Q3", policy: Self.forChampionsAndLoyal)
      // Without the condition Q3 pays 10,000.00 (D-001), 84,000.00 (D-002), 84,000.00 (D-E12).
      let e12 = try lifecycle.statement(database, "D-E12", "2026-Q3")
      #expect(lifecycle.amounts(e12)["volume_bonus"] == "84000.00")
      #expect(lifecycle.amounts(e12)["early_payment"] == "11500.00")
      #expect(volumeNote(e12) == nil)
      let d002 = try lifecycle.statement(database, "D-002", "2026-Q3")
      #expect(lifecycle.amounts(d002)["volume_bonus"] == "0.00")
      #expect(
        volumeNote(d002)
          == "not eligible: RFM segment new in 2026-Q2 is not one of champions, loyal")
      let d001 = try lifecycle.statement(database, "D-001", "2026-Q3")
      #expect(lifecycle.amounts(d001)["volume_bonus"] == "0.00")
      #expect(lifecycle.amounts(d001)["early_payment"] == "11500.00")
      #expect(volumeNote(d001) == "not eligible: no segment stored for 2026-Q2")
      let text = try lifecycle.rebate(
        database, ["statement", "--dealer", "D-002", "--period", "2026-Q3"])
      #expect(text.contains("RFM segment new in 2026-Q2 is not one of champions, loyal"))
    }
  }

  @Test("no segments stored for Q2: the close is refused naming the command; nothing written")
  func segmentsMissing() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      // Segments of another period do not stand in for the previous one.
      _ = try lifecycle.rebate(database, ["segments", "--period", "2026-Q3", "--store"])
      let connection = try database.connect()
      defer { connection.close() }
      let before = try TestDatabase.fingerprint(connection)
      let refused = runCLI([
        "period", "close", "--period", "2026-Q3", "--policy",
        try temporaryFile("p.toml", Self.forChampionsAndLoyal), "--database", database.conninfo,
      ])
      #expect(refused.status == 1)
      #expect(
        refused.err
          == "E-CLOSE-SEGMENTS-MISSING: no RFM segments are stored for 2026-Q2, which the "
          + "policy's eligible_segments reads to compute 2026-Q3; "
          + "run 'rebate segments --period 2026-Q2 --store' first\n")
      #expect(try TestDatabase.fingerprint(connection) == before)
    }
  }

  @Test("late data: Q3's recompute needs Q2's segments only when Q3 closed under the condition")
  func segmentsMissingForRecompute() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try lifecycle.rebate(database, ["segments", "--period", "2026-Q2", "--store"])
      _ = try lifecycle.close(database, "2026-Q3", policy: Self.forChampionsAndLoyal)
      _ = try lifecycle.rebate(
        database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
      _ = try lifecycle.rebate(database, ["segments", "--period", "2026-Q3", "--store"])
      let connection = try database.connect()
      defer { connection.close() }
      try connection.execute(
        "DELETE FROM dealer_segments WHERE period_key = '2026-Q2'", purpose: "drop Q2 segments")
      let refused = runCLI([
        "period", "close", "--period", "2026-Q4", "--policy",
        try temporaryFile("p.toml", Self.forChampionsAndLoyal), "--database", database.conninfo,
      ])
      #expect(refused.status == 1)
      #expect(
        refused.err.hasPrefix(
          "E-CLOSE-SEGMENTS-MISSING: no RFM segments are stored for 2026-Q2, which the "
            + "policy's eligible_segments reads to compute 2026-Q3;"))
      _ = try lifecycle.rebate(database, ["segments", "--period", "2026-Q2", "--store"])
      // Stored, the close goes through.
      _ = try lifecycle.close(database, "2026-Q4", policy: Self.forChampionsAndLoyal)
    }
  }

  @Test("a Q3 closed without the condition is recomputed without Q2's segments")
  func recomputeUnderTheClosedPolicy() throws {
    try TestDatabase.with { database in
      try CloseFixtures.load(database)
      _ = try lifecycle.close(database, "2026-Q3", policy: CloseLifecycleTests.retroactive)
      _ = try lifecycle.rebate(
        database, ["period", "approve", "--period", "2026-Q3", "--by", "finance"])
      _ = try lifecycle.rebate(database, ["segments", "--period", "2026-Q3", "--store"])
      _ = try lifecycle.close(database, "2026-Q4", policy: Self.forChampionsAndLoyal)
      let q4 = try lifecycle.statement(database, "D-002", "2026-Q4")
      #expect((q4["adjustments"] as? [[String: Any]] ?? []).isEmpty)
    }
  }
}
