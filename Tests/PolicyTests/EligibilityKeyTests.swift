import Policy
import RebateCore
import Testing

/// `eligible_grades`, `eligible_segments` and `min_sellout_completeness` in a mechanic's section.
@Suite("Eligibility keys of the policy file")
struct EligibilityKeyTests {
  static let header = """
    [policy]
    id = "elig"
    version = 1
    name = "Eligibility"
    effective_from = 2026-01-01
    period = "quarter"
    tiers = ["Gold"]

    [[cascade.step]]
    name = "Gold base"
    tier = ["Gold"]
    percent = "10%"

    """
  static let grading = """
    [payment_grade]
    fallback = "C"
    [[payment_grade.rule]]
    grade = "A"
    min_paid_by_due = "95%"

    """

  func problems(_ text: String) -> [String] {
    switch PolicyDecoder.decode(text, file: "elig.toml") {
    case .success: return []
    case .failure(let problems): return problems.problems.map(\.description)
    }
  }

  func volume(_ extra: String) -> String {
    "[volume_bonus]\nscale = \"retroactive\"\n\(extra)\n[[volume_bonus.tier]]\nfrom = 0.00\nrate = \"1%\"\n"
  }

  @Test("both keys decode per mechanic; a mechanic without them has no entry")
  func decodes() throws {
    let text =
      Self.header + Self.grading
      + volume("eligible_grades = [\"A\", \"C\"]\nmin_sellout_completeness = \"80%\"")
    let policy = try PolicyDecoder.decode(text, file: "elig.toml").get()
    #expect(
      policy.offInvoice.eligibility == [
        "volume_bonus": MechanicEligibility(
          grades: ["A", "C"], minSellOutCompleteness: try ExactDecimal.parse("0.8"))
      ])
    let plain = try PolicyDecoder.decode(Self.header + volume(""), file: "elig.toml").get()
    #expect(plain.offInvoice.eligibility.isEmpty)
  }

  @Test("eligible_segments decodes to the stored RFM names; it needs no [payment_grade]")
  func segments() throws {
    let text = Self.header + volume("eligible_segments = [\"champions\", \"loyal\"]")
    let policy = try PolicyDecoder.decode(text, file: "elig.toml").get()
    #expect(
      policy.offInvoice.eligibility == [
        "volume_bonus": MechanicEligibility(segments: ["champions", "loyal"])
      ])
  }

  @Test("located errors: a name segmentation never gives, capitalised, or with a bad grade too")
  func segmentErrors() {
    let names = "(champions, loyal, new, at_risk, hibernating, regular)"
    #expect(
      problems(Self.header + volume("eligible_segments = [\"loyal\", \"vip\"]")) == [
        "elig.toml:15:21: E-POLICY-REFERENCE: volume_bonus.eligible_segments: 'vip' is not an RFM segment \(names)"
      ])
    #expect(
      problems(Self.header + volume("eligible_segments = [\"Champions\"]")) == [
        "elig.toml:15:21: E-POLICY-REFERENCE: volume_bonus.eligible_segments: 'Champions' is not an RFM segment \(names)"
      ])
    // Both mistakes of one section are reported in one run.
    #expect(
      problems(
        Self.header + Self.grading
          + volume("eligible_grades = [\"B\"]\neligible_segments = [\"retail\"]")) == [
          "elig.toml:20:19: E-POLICY-REFERENCE: volume_bonus.eligible_grades: 'B' is not a grade of [payment_grade] (A, C)",
          "elig.toml:21:21: E-POLICY-REFERENCE: volume_bonus.eligible_segments: 'retail' is not an RFM segment \(names)",
        ])
  }

  @Test("the projects policy asks 80 % sell-out completeness for focus products")
  func projectsPolicy() throws {
    let policy = try PolicyFiles.example("project-groups-2026.toml")
    #expect(
      policy.offInvoice.eligibility["focus_products"]?.minSellOutCompleteness
        == (try ExactDecimal.parse("0.8")))
  }

  @Test("located errors: unknown grade, grades without [payment_grade], bad percentage, empty list")
  func errors() {
    #expect(
      problems(Self.header + Self.grading + volume("eligible_grades = [\"A\", \"B\"]")) == [
        "elig.toml:20:19: E-POLICY-REFERENCE: volume_bonus.eligible_grades: 'B' is not a grade of [payment_grade] (A, C)"
      ])
    #expect(
      problems(Self.header + volume("eligible_grades = [\"A\"]")) == [
        "elig.toml:15:19: E-POLICY-REFERENCE: volume_bonus.eligible_grades: needs a [payment_grade] section to give grades"
      ])
    #expect(
      problems(Self.header + volume("min_sellout_completeness = \"180%\"")) == [
        "elig.toml:15:28: E-POLICY-VALUE: volume_bonus.min_sellout_completeness: 180% is outside 0%...100%"
      ])
    #expect(
      problems(Self.header + volume("eligible_grades = []")) == [
        "elig.toml:15:19: E-POLICY-VALUE: volume_bonus.eligible_grades: must list at least one value (leave the key out to match all)"
      ])
  }
}
