import RebateCore

/// How a reporting bonus pays when only some of the period's monthly reports were on time.
public enum ReportingBonusPayout: String, Sendable, Hashable, CaseIterable {
  /// Every month on time or nothing: the bonus is an incentive for discipline, not a subsidy.
  case allOrNothing = "all_or_nothing"
  /// The bonus shrinks by the share of months that were late or missing.
  case proRata = "pro_rata"
}

/// Policy settings of the sell-out reporting bonus (E7).
public struct ReportingBonusSettings: Sendable, Hashable {
  /// A month's report is on time when it arrives on or before this day of the next month.
  public var dueDayOfNextMonth: Int
  /// Share of the period's net turnover paid as the bonus (0.005 = 0.5 %).
  public var rate: ExactDecimal
  public var payout: ReportingBonusPayout
  public var rounding: RoundingMode

  public init(
    dueDayOfNextMonth: Int, rate: ExactDecimal, payout: ReportingBonusPayout,
    rounding: RoundingMode = .halfUp
  ) {
    self.dueDayOfNextMonth = dueDayOfNextMonth
    self.rate = rate
    self.payout = payout
    self.rounding = rounding
  }
}

extension ReportingBonusSettings {
  /// What is wrong with these settings, for the policy validator to report with its file and
  /// place; empty when they are usable.
  public var problems: [String] {
    var found: [String] = []
    if !(1...31).contains(dueDayOfNextMonth) {
      found.append("due day \(dueDayOfNextMonth) is not a day of a month (1...31)")
    }
    if rate.isNegative || ExactDecimal.one < rate {
      found.append("rate \(rate) is not between 0 and 1")
    }
    return found
  }
}

/// E7: rewards a dealer for sending its monthly sell-out reports on time.
public enum ReportingBonus {
  public static let mechanic = "reporting_bonus"

  public static func compute(
    dealer: String, period: Period, netTurnover: Money, settings: ReportingBonusSettings,
    history: SubmissionHistory
  ) throws(CoreError) -> ResultLine {
    precondition(settings.problems.isEmpty, "settings are validated with the policy")
    let months = period.months
    let timeliness = months.map {
      history.timeliness(dealer: dealer, month: $0, dueDayOfNextMonth: settings.dueDayOfNextMonth)
    }
    let onTimeCount = timeliness.filter(\.isOnTime).count
    let full = try netTurnover.exact.multiplied(by: settings.rate)
    let amount: Money
    let formula: String
    let ratio = "\(onTimeCount) of \(months.count) months on time"
    let base = "\(netTurnover.grouped) × \(settings.rate.percentText(decimals: 2)) %"
    switch settings.payout {
    case .allOrNothing:
      let earned = onTimeCount == months.count
      amount = earned ? try Money(rounding: full, settings.rounding) : .zero
      formula =
        earned
        ? "\(ratio): \(base) = \(amount.grouped)"
        : "\(ratio), all required: \(amount.grouped)"
    case .proRata:
      let share = try full.multiplied(by: ExactDecimal(onTimeCount)).divided(
        by: ExactDecimal(months.count), scale: Money.minorDigits, settings.rounding)
      amount = try Money(exact: share)
      formula = "\(base) × \(onTimeCount)/\(months.count) = \(amount.grouped)"
    }
    var inputs = [
      ExplanationInput("period", period.description),
      ExplanationInput("net turnover", netTurnover.grouped),
      ExplanationInput("rate", settings.rate.percentText(decimals: 2) + " %"),
      ExplanationInput("payout", settings.payout.rawValue),
      ExplanationInput("due", "day \(settings.dueDayOfNextMonth) of the next month"),
    ]
    inputs += zip(months, timeliness).map { ExplanationInput($0.description, $1.text) }
    let sources = months.compactMap { month -> SourceDocument? in
      guard let first = history.versions(dealer: dealer, month: month).first else { return nil }
      return SourceDocument(
        kind: "sell_out_report", number: "\(dealer)/\(month)/v\(first.version)",
        day: first.receivedOn)
    }
    let explanation = Explanation(
      rule: "\(mechanic) \(settings.payout.rawValue)", inputs: inputs, formula: formula,
      sources: sources, note: ratio)
    return ResultLine(
      dealer: dealer, period: period, mechanic: mechanic, amount: amount, explanation: explanation)
  }
}
