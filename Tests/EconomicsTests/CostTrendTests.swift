import Foundation
import Mechanics
import RebateCore
import Testing

@testable import Economics

#if canImport(FoundationXML)
  import FoundationXML
#endif

private let q2 = try! Period.parse("2026-Q2")
private let q3 = try! Period.parse("2026-Q3")

private func line(_ dealer: String, _ period: Period, _ mechanic: String, _ amount: String) throws
  -> ResultLine
{
  ResultLine(
    dealer: dealer, period: period, mechanic: mechanic, amount: try Money.parse(amount),
    explanation: Explanation(rule: mechanic, inputs: [], formula: "", sources: []))
}

private func turnover(_ dealer: String, _ amount: String) throws -> DealerTurnover {
  DealerTurnover(dealer: dealer, segment: "retail", netTurnover: try Money.parse(amount))
}

/// Q3 is E12's dealer D1 (4,200,000.00) plus D2 whose turnover fell from 1,000,000.00 to 900,000.00.
private func facts() throws -> [PeriodCostFacts] {
  [
    PeriodCostFacts(
      period: q3, turnovers: [try turnover("D1", "4200000.00"), try turnover("D2", "900000.00")],
      lines: [
        try line("D1", q3, "early_payment", "11500.00"),
        try line("D1", q3, "volume_bonus", "84000.00"),
        try line("D1", q3, "reporting_bonus", "14000.00"),
        try line("D1", q3, "price_protection", "3200.00"),
        try line("D2", q3, "volume_bonus", "9000.00"),
      ]),
    PeriodCostFacts(
      period: q2, turnovers: [try turnover("D1", "4000000.00"), try turnover("D2", "1000000.00")],
      lines: [
        try line("D1", q2, "volume_bonus", "40000.00"),
        try line("D1", q2, "early_payment", "10000.00"),
        try line("D2", q2, "volume_bonus", "10000.00"),
      ]),
  ]
}

@Test func sharesPerPeriodAndMechanic() throws {
  let trend = try CostTrends.trend(try facts())
  #expect(trend.periods == [q2, q3])
  #expect(
    trend.series == [
      "early_payment", "price_protection", "reporting_bonus", "volume_bonus", "total",
    ])
  func share(_ period: Period, _ mechanic: String) -> String? {
    trend.point(period, mechanic)?.share?.percentText(decimals: 2)
  }
  #expect(share(q2, "volume_bonus") == "1.00")
  #expect(share(q2, "early_payment") == "0.20")
  #expect(share(q2, "reporting_bonus") == "0.00")
  #expect(share(q2, "total") == "1.20")
  // 93,000.00 / 5,100,000.00 = 1.82 %; total 121,700.00 / 5,100,000.00 = 2.39 %.
  #expect(share(q3, "volume_bonus") == "1.82")
  #expect(trend.point(q3, "total")?.rebates == (try Money.parse("121700.00")))
  #expect(trend.point(q3, "total")?.share == (try ExactDecimal.parse("0.023863")))
}

@Test func bonusWithoutGrowthIsFlagged() throws {
  let trend = try CostTrends.trend(try facts())
  #expect(trend.noGrowthBonuses.count == 1)
  let flag = try #require(trend.noGrowthBonuses.first)
  #expect(flag.dealer == "D2")
  #expect(flag.period == q3)
  #expect(flag.bonus == (try Money.parse("9000.00")))
  #expect(
    trend.text().contains(
      "2026-Q3 D2: bonus 9,000.00 on turnover 900,000.00 ≤ 2026-Q2 1,000,000.00"))
}

@Test func duplicatePeriodIsRefused() throws {
  let twice = try facts() + [PeriodCostFacts(period: q2, turnovers: [], lines: [])]
  #expect(throws: CostTrendError.duplicatePeriod(q2)) { try CostTrends.trend(twice) }
  #expect(CostTrendError.duplicatePeriod(q2).code == "E-TREND-DUPLICATE")
  #expect(CostTrendError.tooManyPeriods(121).code == "E-TREND-LIMIT")
}

private final class ElementCounter: NSObject, XMLParserDelegate {
  var names: [String] = []
  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?,
    attributes: [String: String] = [:]
  ) { names.append(name) }
}

@Test func chartIsWellFormedAndDeterministic() throws {
  let trend = try CostTrends.trend(try facts())
  let svg = trend.svg()
  #expect(svg == (try CostTrends.trend(try facts().reversed())).svg())
  let parser = XMLParser(data: Data(svg.utf8))
  let counter = ElementCounter()
  parser.delegate = counter
  #expect(parser.parse())
  #expect(counter.names.first == "svg")
  #expect(counter.names.filter { $0 == "polyline" }.count == 5)
  // Top of the y axis: the highest share 2.39 % rounded up to 3 %; the total's Q3 point is at
  // 239 bp of 300 over a 260-pixel plot: y = 20 + 260 − 239·260/300 = 73.
  #expect(
    svg.contains(
      "<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"2\" points=\"60,176 490,73\"/>"))
  #expect(trend.html().contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
}

@Test func aDealerWithTwoTurnoversInOnePeriodIsRefusedNotTrapped() throws {
  // D1 twice in Q2 (as two rows spelled differently would read): an error with a code.
  var twice = try facts()
  twice[1] = PeriodCostFacts(
    period: q2,
    turnovers: [try turnover("D1", "4000000.00"), try turnover("D1", "1.00")],
    lines: twice[1].lines)
  #expect(throws: CostTrendError.duplicateDealer("D1", q2)) { try CostTrends.trend(twice) }
  #expect(CostTrendError.duplicateDealer("D1", q2).code == "E-TREND-DUPLICATE")
  #expect(
    CostTrendError.duplicateDealer("D1", q2).description
      == "E-TREND-DUPLICATE: dealer D1 has two turnovers in 2026-Q2")
}
