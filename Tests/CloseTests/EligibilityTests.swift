import Close
import Mechanics
import Policy
import RebateCore
import SellOut
import Testing

/// The policy's `eligible_grades`, `eligible_segments` and `min_sellout_completeness` applied by
/// the close.
@Suite("Eligibility conditions of the policy")
struct EligibilityTests {
  let volume = VolumeBonusSettings(scale: .retroactive(e5Tiers))

  func volumeLine(_ profile: DealerProfile, _ conditions: MechanicEligibility) throws -> ResultLine
  {
    let result = try closeDealer(
      DealerDocuments(profile: profile, invoices: q3Invoices()), period: q3,
      settings: settings(volume: volume, eligibility: ["volume_bonus": conditions]))
    return try #require(result.lines.first)
  }

  @Test("a dealer with no grade yet passes a grade condition and earns E5's 84,000.00")
  func noGradeYet() throws {
    let line = try volumeLine(profile(), MechanicEligibility(grades: ["A", "B"]))
    #expect(line.amount == money("84000.00"))
    #expect(line.explanation.note == nil)
  }

  @Test("grade C: 0.00 with the rule, the grade as input and the reason")
  func ineligibleGrade() throws {
    let graded = DealerProfile(
      dealer: "D-100", segment: "retail", priorGrade: "C", priorGradePeriod: period("2026-Q2"))
    let line = try volumeLine(graded, MechanicEligibility(grades: ["A", "B"]))
    #expect(line.amount == .zero)
    #expect(line.explanation.rule == "volume_bonus: eligible payment grades A, B")
    #expect(line.explanation.inputs == [ExplanationInput("payment grade 2026-Q2", "C")])
    #expect(line.explanation.formula == "payment grade C in 2026-Q2 is not one of A, B → 0.00")
  }

  func segmented(_ segment: String?, grade: String? = nil) -> DealerProfile {
    DealerProfile(
      dealer: "D-100", segment: "retail", priorGrade: grade,
      priorGradePeriod: grade == nil ? nil : period("2026-Q2"), priorSegment: segment,
      priorSegmentPeriod: period("2026-Q2"))
  }

  @Test("segment champions in 2026-Q2 earns E5's 84,000.00; at_risk gets 0.00 with the reason")
  func segments() throws {
    let conditions = MechanicEligibility(segments: ["loyal", "champions"])
    let paid = try volumeLine(segmented("champions"), conditions)
    #expect(paid.amount == money("84000.00"))
    #expect(paid.explanation.note == nil)
    let refused = try volumeLine(segmented("at_risk"), conditions)
    #expect(refused.amount == .zero)
    // Allowed segments are named in the rule order of docs/economics.md.
    #expect(refused.explanation.rule == "volume_bonus: eligible RFM segments champions, loyal")
    #expect(refused.explanation.inputs == [ExplanationInput("RFM segment 2026-Q2", "at_risk")])
    #expect(
      refused.explanation.formula
        == "RFM segment at_risk in 2026-Q2 is not one of champions, loyal → 0.00")
    #expect(
      refused.explanation.note
        == "not eligible: RFM segment at_risk in 2026-Q2 is not one of champions, loyal")
  }

  @Test("a dealer the stored segmentation leaves out fails: no segment stored for 2026-Q2")
  func segmentMissing() throws {
    let line = try volumeLine(segmented(nil), MechanicEligibility(segments: ["champions"]))
    #expect(line.amount == .zero)
    #expect(line.explanation.inputs == [ExplanationInput("RFM segment 2026-Q2", "none")])
    #expect(line.explanation.note == "not eligible: no segment stored for 2026-Q2")
    // Without a period read, the segment's period is the one before the period closed.
    let unread = try volumeLine(profile(), MechanicEligibility(segments: ["champions"]))
    #expect(unread.explanation.note == "not eligible: no segment stored for 2026-Q2")
  }

  @Test("order grade, segment, completeness: each failure names the first condition failed")
  func conditionOrder() throws {
    let all = MechanicEligibility(
      grades: ["A"], segments: ["champions"], minSellOutCompleteness: rate("0.8"))
    let gradeC = try volumeLine(segmented("at_risk", grade: "C"), all)
    #expect(gradeC.explanation.note == "not eligible: payment grade C in 2026-Q2 is not one of A")
    let gradeA = try volumeLine(segmented("at_risk", grade: "A"), all)
    #expect(
      gradeA.explanation.note
        == "not eligible: RFM segment at_risk in 2026-Q2 is not one of champions")
    let champion = try volumeLine(segmented("champions", grade: "A"), all)
    #expect(
      champion.explanation.note
        == "not eligible: sell-out completeness 0.00 % < required 80.00 %")
  }

  @Test("completeness 45.00 % < required 80.00 %: 0.00; 80.00 % exactly earns 84,000.00")
  func completeness() throws {
    let required = MechanicEligibility(minSellOutCompleteness: rate("0.80"))
    let low = DealerProfile(dealer: "D-100", segment: "retail", sellOutCompleteness: rate("0.45"))
    let line = try volumeLine(low, required)
    #expect(line.amount == .zero)
    #expect(
      line.explanation.note == "not eligible: sell-out completeness 45.00 % < required 80.00 %")
    #expect(
      line.explanation.inputs == [ExplanationInput("sell-out completeness 2026-Q3", "45.00 %")])
    let enough = DealerProfile(
      dealer: "D-100", segment: "retail", sellOutCompleteness: rate("0.80"))
    #expect(try volumeLine(enough, required).amount == money("84000.00"))
  }

  @Test("not measured reads as no reports: 0.00 % < required 80.00 %")
  func noReports() throws {
    let line = try volumeLine(profile(), MechanicEligibility(minSellOutCompleteness: rate("0.8")))
    #expect(line.amount == .zero)
    #expect(
      line.explanation.note == "not eligible: sell-out completeness 0.00 % < required 80.00 %")
  }

  @Test("a grade-A dealer short on completeness fails on completeness; other mechanics unaffected")
  func bothConditions() throws {
    let dealer = DealerProfile(
      dealer: "D-100", segment: "retail", priorGrade: "A", priorGradePeriod: period("2026-Q2"),
      sellOutCompleteness: rate("0.5"))
    let conditions = MechanicEligibility(grades: ["A"], minSellOutCompleteness: rate("0.75"))
    let line = try volumeLine(dealer, conditions)
    #expect(
      line.explanation.note == "not eligible: sell-out completeness 50.00 % < required 75.00 %")
    let result = try closeDealer(
      DealerDocuments(profile: dealer, invoices: [e4Invoice], payments: e4Payments()),
      period: q3,
      settings: settings(
        early: e4Schedule, volume: volume, eligibility: ["volume_bonus": conditions]))
    #expect(result.lines.map(\.amount) == [money("11500.00"), .zero])
  }

  @Test("period average: July 1 of 2 SKUs, August 2 of 2, September missing → 50.00 %")
  func averageOverMonths() throws {
    let shipments = ["SKU-1", "SKU-2"].map {
      Shipment(
        day: day("2026-07-01"), document: "INV-1", sku: $0, quantity: 10, netUnitPrice: rate("1"))
    }
    var history = SubmissionHistory()
    func report(_ month: String, _ skus: [String]) throws -> DataQualityReport {
      _ = try history.record(
        dealer: "D-100", month: period(month), sha256: month, receivedOn: day("2026-10-01"),
        lineCount: skus.count)
      let lines = skus.enumerated().map { index, sku in
        SellOutLine(
          lineNumber: index + 1, day: period(month).firstDay, sku: sku, quantity: 1,
          resalePrice: nil)
      }
      return DataQuality.assess(
        dealer: "D-100", month: period(month), history: history, dueDayOfNextMonth: 10,
        versionLines: [lines], shipments: shipments, returns: [], sales: [])
    }
    let july = try report("2026-07", ["SKU-1"])
    let august = try report("2026-08", ["SKU-1", "SKU-2"])
    #expect(july.completeness == rate("0.5"))
    let average = try SellOutCompleteness.average(over: q3, reports: [july, august])
    #expect(average == rate("0.5000"))
    #expect(try SellOutCompleteness.average(over: q3, reports: []) == .zero)
    #expect(try SellOutCompleteness.average(over: q4, reports: [july, august]) == .zero)
  }
}
