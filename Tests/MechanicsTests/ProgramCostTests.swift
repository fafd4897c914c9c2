import Mechanics
import RebateCore
import Testing

@Suite struct ProgramCostTests {
  let q3 = period("2026-Q3")

  /// Lines as the SellOut module would produce them (E7 pro rata, E8 60-day window).
  func sellOutLine(_ mechanic: String, _ amount: String) -> ResultLine {
    ResultLine(
      dealer: "D-100", period: q3, mechanic: mechanic, amount: money(amount),
      explanation: Explanation(rule: mechanic, inputs: [], formula: amount, sources: []))
  }

  @Test func e12ProgramCostIsTwoPointSixEightPercentUnderAThreePercentCap() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    let early = try earlyPaymentRebate(
      settlements: allocation.settlements, period: q3, settings: e4Schedule)
    let volume = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices),
      settings: VolumeBonusSettings(scale: .retroactive(e5Tiers)))
    let lines =
      early + [
        volume, sellOutLine("reporting_bonus", "14000.00"),
        sellOutLine("price_protection", "3200.00"),
      ]
    let report = try programCost(
      lines: lines,
      turnovers: [
        DealerTurnover(dealer: "D-100", segment: "installers", netTurnover: money("4200000.00"))
      ],
      period: q3, settings: ProgramCostSettings(capShare: rate("0.03")))
    #expect(report.total.rebates == money("112700.00"))
    #expect(report.total.share?.percentText() == "2.68")
    #expect(report.total.withinCap)
    #expect(report.byDealer.map(\.key) == ["D-100"])
    #expect(report.bySegment.map(\.rebates) == [money("112700.00")])
    #expect(
      report.byMechanic.map(\.key) == [
        "early_payment", "price_protection", "reporting_bonus", "volume_bonus",
      ])
    #expect(report.byMechanic.map { $0.share?.percentText() } == ["0.27", "0.08", "0.33", "2.00"])
    #expect(
      report.explanation.formula.contains(
        "= 112,700.00 = 2.68 % of 4,200,000.00 → under the 3.00 % cap"))
    let tight = try programCost(
      lines: lines,
      turnovers: [
        DealerTurnover(dealer: "D-100", segment: "installers", netTurnover: money("4200000.00"))
      ],
      period: q3, settings: ProgramCostSettings(capShare: rate("0.025")))
    #expect(!tight.total.withinCap)
  }

  @Test func segmentsAggregateTheirDealers() throws {
    let lines = [
      ResultLine(
        dealer: "A", period: q3, mechanic: "volume_bonus", amount: money("300.00"),
        explanation: Explanation(rule: "", inputs: [], formula: "", sources: [])),
      ResultLine(
        dealer: "B", period: q3, mechanic: "volume_bonus", amount: money("100.00"),
        explanation: Explanation(rule: "", inputs: [], formula: "", sources: [])),
    ]
    let report = try programCost(
      lines: lines,
      turnovers: [
        DealerTurnover(dealer: "A", segment: "retail", netTurnover: money("10000.00")),
        DealerTurnover(dealer: "B", segment: "retail", netTurnover: money("10000.00")),
        DealerTurnover(dealer: "C", segment: "projects", netTurnover: money("5000.00")),
      ], period: q3, settings: ProgramCostSettings(capShare: rate("0.02")))
    #expect(report.bySegment.map(\.key) == ["projects", "retail"])
    #expect(report.bySegment.map(\.rebates) == [money("0.00"), money("400.00")])
    #expect(report.bySegment.map(\.withinCap) == [true, true])
    #expect(report.byDealer.map(\.withinCap) == [false, true, true])
    #expect(throws: MechanicsError.self) {
      try programCost(
        lines: lines, turnovers: [], period: q3,
        settings: ProgramCostSettings(capShare: rate("0.02")))
    }
  }
}
