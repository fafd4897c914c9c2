import Foundation
import Testing

/// E11 fed forward through PostgreSQL: the grade the Q3 close stores decides Q4's volume bonus
/// under the policy's `eligible_grades`.
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
}
