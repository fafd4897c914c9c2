import Foundation
import PostgresClient
import RebateCore
import RebateStore

extension CLI {
  static let overviewCommands = [overviewCommand]

  static let overviewCommand = Command(
    ["report", "overview"], usage: "rebate report overview --period P [--database URL]",
    summary: "net turnover by tier and region, payment discipline by grade"
  ) { arguments, context in
    let period = try periodArgument(&arguments)
    let url = try context.databaseURL(&arguments)
    try arguments.finish()
    let connection = try Connection(url)
    defer { connection.close() }
    let report = try OverviewReport.load(period: period, on: connection)
    context.console.write(renderOverview(report))
    return 0
  }

  static func renderOverview(_ report: OverviewReport) -> String {
    let total = report.byTier.reduce(Int64(0)) { $0 + $1.netTurnover.minor }
    func share(_ money: Money) -> String {
      guard total != 0,
        let ratio = try? ExactDecimal(Int(money.minor)).divided(
          by: ExactDecimal(Int(total)), scale: 6, .halfUp)
      else { return "-" }
      return ratio.percentText() + " %"
    }
    func table(_ title: String, _ groups: [OverviewReport.TurnoverGroup]) -> [String] {
      [
        title.padding(toLength: 20, withPad: " ", startingAt: 0) + "Dealers"
          + pad("Net turnover", 22)
          + pad("Share", 10)
      ]
        + groups.map {
          $0.name.padding(toLength: 20, withPad: " ", startingAt: 0)
            + pad(String($0.dealerCount), 7)
            + pad($0.netTurnover.grouped, 22) + pad(share($0.netTurnover), 10)
        } + [""]
    }
    var lines = ["OVERVIEW \(report.period)", ""]
    lines += table("Tier", report.byTier)
    lines += table("Region", report.byRegion)
    lines.append("Total net turnover " + Money(minor: total).grouped)
    lines.append("")
    if report.byGrade.isEmpty {
      lines.append(
        "Payment discipline: not computed yet (rebate period close --period \(report.period))")
    } else {
      lines.append("Grade  Dealers  Paid by due date  Weighted days late")
      for grade in report.byGrade {
        lines.append(
          grade.grade.padding(toLength: 5, withPad: " ", startingAt: 0)
            + pad(String(grade.dealerCount), 9)
            + pad(grade.averagePaidByDueShare.percentText() + " %", 18)
            + pad(grade.averageWeightedDaysLate.description, 20))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(1, width - text.count)) + text
  }
}
