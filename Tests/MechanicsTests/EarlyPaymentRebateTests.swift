import Mechanics
import RebateCore
import Testing

@Suite struct EarlyPaymentRebateTests {
  @Test func e4EarnsEightThousandPlusThreeThousandFiveHundredPlusZero() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    let lines = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period("2026-Q3"), settings: e4Schedule)
    let line = try #require(lines.first)
    #expect(lines.count == 1)
    #expect(line.amount == money("11500.00"))
    #expect(line.mechanic == "early_payment")
    let formula = line.explanation.formula
    #expect(formula.contains("400,000.00 × 2.00 % = 8,000.00"))
    #expect(formula.contains("350,000.00 × 1.00 % = 3,500.00"))
    #expect(formula.contains("250,000.00 × 0.00 % = 0.00"))
    #expect(formula.hasSuffix("total 11,500.00"))
    #expect(line.explanation.sources.map(\.number) == ["INV-E4", "PAY-1", "PAY-2", "PAY-3"])
  }

  @Test func rebateBelongsToThePeriodOfThePaymentDate() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    let july = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period("2026-07"), settings: e4Schedule)
    let august = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period("2026-08"), settings: e4Schedule)
    #expect(july.map(\.amount) == [money("11500.00")])
    #expect(august.map(\.amount) == [money("0.00")])
    #expect(august.first?.explanation.sources.map(\.number) == ["INV-E4", "PAY-3"])
  }

  @Test func prepaymentEarnsTheTopRate() throws {
    let allocation = try PaymentAllocation(
      invoices: [invoice("INV-P", on: "2026-07-10", net: "1000.00")], creditNotes: [],
      payments: [payment("PRE", on: "2026-07-01", gross: "1200.00", invoice: "INV-P")])
    let lines = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period("2026-07"), settings: e4Schedule)
    #expect(lines.map(\.amount) == [money("20.00")])
    #expect(lines[0].explanation.formula.contains("(prepaid)"))
  }

  @Test func halfEvenAndHalfUpDifferPerSettlement() throws {
    // 1,000.25 × 2 % = 20.005: half-up 20.01, half-even 20.00.
    let allocation = try PaymentAllocation(
      invoices: [invoice("INV-R", on: "2026-07-01", net: "1000.25", vat: "0")], creditNotes: [],
      payments: [payment("P", on: "2026-07-02", gross: "1000.25")])
    var settings = e4Schedule
    let up = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period("2026-07"), settings: settings)
    settings.rounding = .halfEven
    let even = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period("2026-07"), settings: settings)
    #expect(up.map(\.amount) == [money("20.01")])
    #expect(even.map(\.amount) == [money("20.00")])
  }

  @Test func scheduleMustBeOrdered() {
    let settings = EarlyPaymentSettings(steps: [
      EarlyPaymentStep(maxDaysAfterInvoice: 20, rate: rate("0.01")),
      EarlyPaymentStep(maxDaysAfterInvoice: 10, rate: rate("0.02")),
    ])
    #expect(
      throws: MechanicsError.invalidSettings(
        "early_payment.steps", reason: "days must increase from step to step")
    ) {
      try settings.validate()
    }
  }
}

@Suite struct PaymentDisciplineTests {
  let grades = PaymentDisciplineSettings(
    rules: [
      GradeRule(grade: "A", minPaidByDueShare: rate("0.95"), maxWeightedDaysLate: rate("1")),
      GradeRule(grade: "B", minPaidByDueShare: rate("0.80")),
    ], fallbackGrade: "C")

  @Test func e4And11DealerPaidSeventyFivePercentByDueDateIsGradeC() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    let results = try paymentDiscipline(
      invoices: [e4Invoice], allocation: allocation, period: period("2026-Q3"), settings: grades)
    let result = try #require(results.first)
    #expect(result.paidByDueShare == rate("0.75"))
    #expect(result.paidByDueShare.percentText() == "75.00")
    #expect(result.weightedDaysLate == rate("1.25"))
    #expect(result.grade == "C")
    #expect(result.dsoDays == rate("0"))
    #expect(result.explanation.formula.contains("750,000.00 / 1,000,000.00 = 75.00 %"))
  }

  @Test func onTimeDealerIsGradeAAndDsoCountsOpenReceivables() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: Array(e4Payments.prefix(2)))
    let results = try paymentDiscipline(
      invoices: [e4Invoice], allocation: allocation, period: period("2026-07"), settings: grades)
    let result = try #require(results.first)
    #expect(result.grade == "A")
    #expect(result.paidByDueShare == rate("1"))
    // 300,000.00 gross open on 07-31 / 1,200,000.00 invoiced × 31 days = 7.75 days.
    #expect(result.dsoDays == rate("7.75"))
  }

  @Test func unpaidOverdueMoneyCountsAgainstTheDealer() throws {
    // Only the first payment arrives; at 2026-09-30 net 600,000.00 is 61 days overdue.
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: [e4Payments[0]])
    let results = try paymentDiscipline(
      invoices: [e4Invoice], allocation: allocation, period: period("2026-Q3"), settings: grades)
    let result = try #require(results.first)
    #expect(result.measuredNet == money("1000000.00"))
    #expect(result.paidByDueShare == rate("0.4"))
    #expect(result.weightedDaysLate == rate("36.6"))
    #expect(result.grade == "C")
  }

  @Test func betweenBoundsIsGradeB() throws {
    let invoices = [
      invoice("I1", on: "2026-07-01", net: "850.00"),
      invoice("I2", on: "2026-07-01", net: "150.00"),
    ]
    let allocation = try PaymentAllocation(
      invoices: invoices, creditNotes: [],
      payments: [
        payment("P1", on: "2026-07-20", gross: "1020.00", invoice: "I1"),
        payment("P2", on: "2026-08-10", gross: "180.00", invoice: "I2"),
      ])
    let results = try paymentDiscipline(
      invoices: invoices, allocation: allocation, period: period("2026-Q3"), settings: grades)
    #expect(results.map(\.grade) == ["B"])
    #expect(results.map(\.weightedDaysLate) == [rate("1.5")])
  }
}
