import Mechanics
import RebateCore
import Testing

@Suite struct AdjustmentTests {
  @Test func e10LateCreditNoteGivesMinusSixThousandInTheNextPeriod() throws {
    let q3 = period("2026-Q3")
    let settings = VolumeBonusSettings(scale: .incremental(e5Tiers))
    let closed = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices), settings: settings)
    #expect(closed.amount == money("44000.00"))
    let late = creditNote("CN-LATE", on: "2026-09-20", net: "300000.00")
    let recomputed = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices, creditNotes: [late]),
      settings: settings)
    #expect(recomputed.amount == money("38000.00"))
    let lines = try adjustments(closed: [closed], recomputed: [recomputed], carriedBy: q3.next)
    let line = try #require(lines.first)
    #expect(lines.count == 1)
    #expect(line.amount == money("-6000.00"))
    #expect(line.period == period("2026-Q4"))
    #expect(line.mechanic == "adjustment")
    #expect(line.explanation.formula == "38,000.00 − 44,000.00 = -6,000.00")
    #expect(
      line.explanation.sources.first
        == SourceDocument(kind: "closed_period", number: "2026-Q3", amount: money("44000.00")))
    #expect(line.explanation.sources.dropFirst().map(\.number) == ["CN-LATE"])
    #expect(closed.amount == money("44000.00"))
  }

  @Test func noDifferenceNoLineAndPeriodsMustMoveForward() throws {
    let q3 = period("2026-Q3")
    let settings = VolumeBonusSettings(scale: .retroactive(e5Tiers))
    let closed = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices), settings: settings)
    #expect(try adjustments(closed: [closed], recomputed: [closed], carriedBy: q3.next).isEmpty)
    #expect(throws: MechanicsError.self) {
      try adjustments(closed: [closed], recomputed: [closed], carriedBy: q3.previous)
    }
  }

  @Test func aMechanicThatAppearsOnlyOnRecomputationIsAdjustedInFull() throws {
    let q3 = period("2026-Q3")
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    let recomputed = try earlyPaymentRebate(
      settlements: allocation.settlements, period: q3, settings: e4Schedule)
    let lines = try adjustments(closed: [], recomputed: recomputed, carriedBy: q3.next)
    #expect(lines.map(\.amount) == [money("11500.00")])
    #expect(lines[0].explanation.rule.contains("early_payment"))
  }
}
