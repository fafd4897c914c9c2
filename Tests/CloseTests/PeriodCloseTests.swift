import Close
import Mechanics
import Policy
import RebateCore
import SellOut
import Testing

@Suite("Period close from raw documents")
struct PeriodCloseTests {
  @Test("E4: early-payment rebate 11,500.00 in the period of the payment dates")
  func e4EarlyPayment() throws {
    let documents = DealerDocuments(
      profile: profile(), invoices: [e4Invoice], payments: e4Payments())
    let result = try closeDealer(documents, period: q3, settings: settings(early: e4Schedule))
    #expect(result.lines.map(\.mechanic) == ["early_payment"])
    let line = try #require(result.lines.first)
    #expect(line.amount == money("11500.00"))
    #expect(line.explanation.formula.contains("400,000.00 × 2.00 % = 8,000.00"))
    #expect(line.explanation.formula.contains("350,000.00 × 1.00 % = 3,500.00"))
    #expect(line.explanation.formula.contains("250,000.00 × 0.00 % = 0.00"))
    // A payment in the next period earns there: Q4 gets nothing from July/August payments.
    let next = try closeDealer(documents, period: q4, settings: settings(early: e4Schedule))
    #expect(next.lines.isEmpty)
  }

  @Test("E11: E4's dealer paid 75 % by due date, 1.25 days late → grade C")
  func e11Grade() throws {
    let documents = DealerDocuments(
      profile: profile(), invoices: [e4Invoice], payments: e4Payments())
    let result = try closeDealer(documents, period: q3, settings: settings(grades: e11Grades))
    let grade = try #require(result.discipline)
    #expect(grade.grade == "C")
    #expect(grade.paidByDueShare == rate("0.75"))
    #expect(grade.weightedDaysLate == rate("1.25"))
    #expect(result.lines.isEmpty)
  }

  @Test("E11 fed forward: a grade-C dealer is not eligible for a bonus restricted to A and B")
  func gradeEligibility() throws {
    let graded = DealerProfile(
      dealer: "D-100", segment: "retail", priorGrade: "C", priorGradePeriod: period("2026-Q2"))
    let documents = DealerDocuments(profile: graded, invoices: q3Invoices())
    let restricted = settings(
      volume: VolumeBonusSettings(scale: .retroactive(e5Tiers)),
      eligibility: ["volume_bonus": MechanicEligibility(grades: ["A", "B"])])
    let line = try #require(
      try closeDealer(documents, period: q3, settings: restricted).lines.first)
    #expect(line.amount == .zero)
    #expect(line.explanation.note == "not eligible: payment grade C in 2026-Q2 is not one of A, B")
    let gradeB = DealerProfile(dealer: "D-100", segment: "retail", priorGrade: "B")
    let eligible = try closeDealer(
      DealerDocuments(profile: gradeB, invoices: q3Invoices()), period: q3, settings: restricted)
    #expect(eligible.lines.first?.amount == money("84000.00"))
  }

  @Test("E5: basis 4,200,000.00 → retroactive 84,000.00, incremental 44,000.00")
  func e5VolumeBonus() throws {
    let documents = DealerDocuments(profile: profile(), invoices: q3Invoices())
    let retro = try closeDealer(
      documents, period: q3,
      settings: settings(volume: VolumeBonusSettings(scale: .retroactive(e5Tiers))))
    #expect(retro.lines.map(\.amount) == [money("84000.00")])
    #expect(retro.netTurnover == money("4200000.00"))
    let incremental = try closeDealer(
      documents, period: q3,
      settings: settings(volume: VolumeBonusSettings(scale: .incremental(e5Tiers))))
    #expect(incremental.lines.map(\.amount) == [money("44000.00")])
    #expect(incremental.lines[0].explanation.formula.contains("20,000.00 + 24,000.00 = 44,000.00"))
  }

  @Test("E6: last year 4,000,000.00 needs 4,400,000.00 → 0.00, growth 5.00 % < required 10.00 %")
  func e6Growth() throws {
    let lastYear = invoice("INV-2025-Q3", on: "2025-08-15", net: "4000000.00")
    let documents = DealerDocuments(profile: profile(), invoices: q3Invoices() + [lastYear])
    let growth = VolumeBonusSettings(
      scale: .retroactive(e5Tiers), conditions: [.growth(minimum: rate("0.10"))])
    let line = try #require(
      try closeDealer(documents, period: q3, settings: settings(volume: growth)).lines.first)
    #expect(line.amount == .zero)
    #expect(line.explanation.note?.hasPrefix("growth 5.00 % < required 10.00 %") == true)
  }

  @Test("E10: a late Q3 credit note of 300,000.00 gives Q4 an adjustment of −6,000.00")
  func e10Adjustment() throws {
    let incremental = settings(volume: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    let q3Documents = DealerDocuments(profile: profile(), invoices: q3Invoices())
    let closedQ3 = try closePeriod([q3Documents], period: q3, settings: incremental)
    #expect(closedQ3.results[0].lines.map(\.amount) == [money("44000.00")])
    let late = creditNote("CN-LATE", on: "2026-09-20", net: "300000.00")
    let q3Now = DealerDocuments(profile: profile(), invoices: q3Invoices(), creditNotes: [late])
    let q4Documents = DealerDocuments(
      profile: profile(), invoices: [invoice("INV-10", on: "2026-10-05", net: "100000.00")])
    let check = LateDataCheck(
      closedPeriod: q3, closedLines: closedQ3.results[0].lines, documents: q3Now)
    let q4Result = try closeDealer(
      q4Documents, period: q4, settings: incremental, lateData: [check])
    let adjustment = try #require(q4Result.lines.first { $0.mechanic == "adjustment" })
    #expect(adjustment.amount == money("-6000.00"))
    #expect(adjustment.period == q4)
    #expect(adjustment.explanation.formula == "38,000.00 − 44,000.00 = -6,000.00")
    #expect(correctedPeriod(adjustment) == "2026-Q3")
    #expect(adjustment.explanation.sources.contains { $0.number == "CN-LATE" })
    // Q3's closed lines are untouched: the adjustment is Q4's alone.
    #expect(closedQ3.results[0].lines[0].amount == money("44000.00"))
    // Data that changes nothing gives no adjustment.
    let unchanged = LateDataCheck(
      closedPeriod: q3, closedLines: closedQ3.results[0].lines, documents: q3Documents)
    let quiet = try closeDealer(
      q4Documents, period: q4, settings: incremental, lateData: [unchanged])
    #expect(!quiet.lines.contains { $0.mechanic == "adjustment" })
  }

  @Test("E12: 11,500 + 84,000 + 14,000 + 3,200 = 112,700.00 = 2.68 % of 4,200,000.00, under 3 %")
  func e12ProgramCost() throws {
    let (documents, policy) = e12Dealer()
    let closed = try closePeriod([documents], period: q3, settings: policy)
    let amounts = Dictionary(
      uniqueKeysWithValues: closed.results[0].lines.map { ($0.mechanic, $0.amount) })
    #expect(amounts["early_payment"] == money("11500.00"))
    #expect(amounts["volume_bonus"] == money("84000.00"))
    #expect(amounts["reporting_bonus"] == money("14000.00"))
    #expect(amounts["price_protection"] == money("3200.00"))
    let cost = closed.summary.cost
    #expect(cost.total.rebates == money("112700.00"))
    #expect(cost.total.turnover == money("4200000.00"))
    #expect(cost.total.share?.percentText(decimals: 2) == "2.68")
    #expect(cost.total.withinCap)
    #expect(cost.byDealer.map(\.key) == ["D-E12"])
    #expect(cost.byDealer[0].rebates == money("112700.00"))
    #expect(cost.bySegment.map(\.key) == ["retail"])
    #expect(
      cost.byMechanic.map(\.rebates) == [
        money("11500.00"), money("3200.00"), money("14000.00"), money("84000.00"),
      ])
  }

  @Test("program cost over the cap is flagged, by the exact comparison")
  func overCap() throws {
    let (documents, _) = e12Dealer()
    var tight = e12Policy()
    tight.budgetCap = rate("0.025")
    let cost = try closePeriod([documents], period: q3, settings: tight).summary.cost
    #expect(!cost.total.withinCap)
    #expect(cost.text().contains("OVER"))
  }
}

func e12Policy() -> CloseSettings {
  settings(
    early: e4Schedule, volume: VolumeBonusSettings(scale: .retroactive(e5Tiers)),
    reporting: ReportingBonusSettings(
      dueDayOfNextMonth: 10, rate: rate("0.005"), payout: .proRata),
    protection: PriceProtectionSettings(windowDays: 60), cap: "0.03")
}

/// One dealer with E4's payments, E5's turnover, E7's reports and E8's channel stock.
func e12Dealer() -> (DealerDocuments, CloseSettings) {
  let dealer = "D-E12"
  let invoices = [
    invoice("E12-E4", dealer: dealer, on: "2026-07-01", net: "1000000.00"),
    invoice(
      "E12-SHIP-0510", dealer: dealer, on: "2026-05-10",
      lines: [line("40000.00", sku: "P-1", quantity: 50)]),
    invoice(
      "E12-SHIP-0701", dealer: dealer, on: "2026-07-01",
      lines: [line("24000.00", sku: "P-1", quantity: 30)]),
    invoice(
      "E12-SHIP-0801", dealer: dealer, on: "2026-08-01",
      lines: [line("16000.00", sku: "P-1", quantity: 20)]),
    invoice("E12-REST", dealer: dealer, on: "2026-09-10", net: "3160000.00"),
  ]
  var history = SubmissionHistory()
  for (month, received) in [
    ("2026-07", "2026-08-08"), ("2026-08", "2026-09-12"), ("2026-09", "2026-10-09"),
  ] {
    _ = try! history.record(
      dealer: dealer, month: period(month), sha256: "sha-\(month)", receivedOn: day(received),
      lineCount: 1)
  }
  let sellOut = SellOutData(
    history: history,
    sales: [
      SoldOut(day: day("2026-06-20"), sku: "P-1", quantity: 40),
      SoldOut(day: day("2026-08-14"), sku: "P-1", quantity: 20),
    ],
    coveredThrough: day("2026-08-14"))
  let drop = PriceDrop(
    change: PriceChange(
      sku: "P-1", effective: day("2026-08-15"), document: "PC-P-1-0815",
      oldListPrice: money("1000.00"), newListPrice: money("900.00")),
    newNetUnitPrice: rate("720.00"))
  let documents = DealerDocuments(
    profile: DealerProfile(dealer: dealer, segment: "retail"), invoices: invoices,
    payments: e4Payments(dealer: dealer, reference: "E12-E4"), sellOut: sellOut, priceDrops: [drop])
  return (documents, e12Policy())
}
