import RebateCore
import SellOut
import Testing

@Suite struct ReportingBonusTests {
  /// E7: Q3 2026, due the 10th, July on 08-08, August on 09-12, September on 10-09.
  func e7History() throws -> SubmissionHistory {
    var history = SubmissionHistory()
    let arrivals = [
      ("2026-07", "2026-08-08"), ("2026-08", "2026-09-12"), ("2026-09", "2026-10-09"),
    ]
    for (month, day) in arrivals {
      _ = try history.record(
        dealer: "D1", month: try Period.parse(month), sha256: "hash-\(month)",
        receivedOn: try Day.parse(day), lineCount: 10)
    }
    return history
  }

  func e7(_ payout: ReportingBonusPayout) throws -> ResultLine {
    let settings = ReportingBonusSettings(
      dueDayOfNextMonth: 10, rate: try ExactDecimal.parse("0.005"), payout: payout)
    return try ReportingBonus.compute(
      dealer: "D1", period: try Period.parse("2026-Q3"),
      netTurnover: try Money.parse("4200000.00"), settings: settings, history: try e7History())
  }

  @Test func e7AllOrNothingPaysNothingWithOneLateMonth() throws {
    let line = try e7(.allOrNothing)
    #expect(line.amount == Money.zero)
    #expect(line.mechanic == "reporting_bonus")
    #expect(line.explanation.note == "2 of 3 months on time")
    #expect(line.explanation.formula == "2 of 3 months on time, all required: 0.00")
  }

  @Test func e7ProRataPaysTwoThirds() throws {
    let line = try e7(.proRata)
    #expect(line.amount == (try Money.parse("14000.00")))
    #expect(line.explanation.formula == "4,200,000.00 × 0.50 % × 2/3 = 14,000.00")
  }

  @Test func e7ExplanationListsEveryMonth() throws {
    let inputs = try e7(.proRata).explanation.inputs
    let months = inputs.filter { $0.name.hasPrefix("2026-0") }
    #expect(
      months == [
        ExplanationInput("2026-07", "received 2026-08-08, due 2026-08-10: on time"),
        ExplanationInput("2026-08", "received 2026-09-12, due 2026-09-10: late"),
        ExplanationInput("2026-09", "received 2026-10-09, due 2026-10-10: on time"),
      ])
    #expect(
      try e7(.proRata).explanation.sources.map(\.number) == [
        "D1/2026-07/v1", "D1/2026-08/v1", "D1/2026-09/v1",
      ])
  }

  @Test func allMonthsOnTimePayTheFullRate() throws {
    var history = SubmissionHistory()
    for month in try Period.parse("2026-Q3").months {
      _ = try history.record(
        dealer: "D1", month: month, sha256: "\(month)",
        receivedOn: SubmissionHistory.dueDay(of: month, dueDayOfNextMonth: 10), lineCount: 1)
    }
    let settings = ReportingBonusSettings(
      dueDayOfNextMonth: 10, rate: try ExactDecimal.parse("0.005"), payout: .allOrNothing)
    let line = try ReportingBonus.compute(
      dealer: "D1", period: try Period.parse("2026-Q3"),
      netTurnover: try Money.parse("4200000.00"), settings: settings, history: history)
    #expect(line.amount == (try Money.parse("21000.00")))
  }

  @Test func aMissingMonthCountsAsNotOnTime() throws {
    let settings = ReportingBonusSettings(
      dueDayOfNextMonth: 10, rate: try ExactDecimal.parse("0.005"), payout: .proRata)
    let line = try ReportingBonus.compute(
      dealer: "D2", period: try Period.parse("2026-Q3"),
      netTurnover: try Money.parse("4200000.00"), settings: settings, history: try e7History())
    #expect(line.amount == Money.zero)
    #expect(
      line.explanation.inputs.contains(
        ExplanationInput("2026-07", "not received, due 2026-08-10: missing")))
  }

  @Test func settingsProblemsAreNamed() throws {
    let bad = ReportingBonusSettings(
      dueDayOfNextMonth: 0, rate: try ExactDecimal.parse("1.5"), payout: .proRata)
    #expect(bad.problems.count == 2)
  }
}
