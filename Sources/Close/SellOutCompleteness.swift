import RebateCore
import SellOut

/// The sell-out completeness a `min_sellout_completeness` condition compares: the average over
/// the period's months of each month's completeness (`DataQuality`). A month without a report
/// counts 0 (so no reports at all is 0 %); a reported month with nothing sellable counts 100 %
/// (nothing was missing from it).
public enum SellOutCompleteness {
  /// `reports` are one dealer's; months outside the period are ignored. Four decimals, half up.
  public static func average(over period: Period, reports: [DataQualityReport]) throws(CoreError)
    -> ExactDecimal
  {
    let months = period.months
    precondition(!months.isEmpty, "a period has at least one month")
    var total = ExactDecimal.zero
    for month in months {
      guard let report = reports.first(where: { $0.month == month }), report.versionCount > 0
      else { continue }
      total = try total.adding(report.completeness ?? .one)
    }
    return try total.divided(by: ExactDecimal(months.count), scale: 4, .halfUp)
  }
}
