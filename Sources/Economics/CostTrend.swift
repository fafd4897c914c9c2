import Mechanics
import RebateCore

/// What one computed period contributes to the trend: each dealer's net turnover and the
/// period's off-invoice result lines.
public struct PeriodCostFacts: Sendable, Hashable {
  public let period: Period
  public let turnovers: [DealerTurnover]
  public let lines: [ResultLine]

  public init(period: Period, turnovers: [DealerTurnover], lines: [ResultLine]) {
    self.period = period
    self.turnovers = turnovers
    self.lines = lines
  }
}

/// Rebates of one mechanic (or "total") in one period over that period's total net turnover.
public struct TrendPoint: Sendable, Hashable {
  public let period: Period
  public let mechanic: String
  public let rebates: Money
  public let turnover: Money
  /// Fraction, 6 decimals half-up; nil for zero turnover.
  public let share: ExactDecimal?
}

/// A bonus paid in a period to a dealer whose net turnover did not grow over the period before.
public struct NoGrowthBonus: Sendable, Hashable {
  public let dealer: String
  public let period: Period
  public let bonus: Money
  public let turnover: Money
  public let previousTurnover: Money
}

public struct CostTrend: Sendable, Hashable {
  public static let total = "total"
  public let periods: [Period]
  /// Mechanics in name order, then "total".
  public let series: [String]
  public let points: [TrendPoint]
  public let noGrowthBonuses: [NoGrowthBonus]

  public func point(_ period: Period, _ mechanic: String) -> TrendPoint? {
    points.first { $0.period == period && $0.mechanic == mechanic }
  }
}

public enum CostTrendError: Error, Equatable, CustomStringConvertible {
  case tooManyPeriods(Int)
  case duplicatePeriod(Period)
  case duplicateDealer(String, Period)

  public var code: String {
    switch self {
    case .tooManyPeriods: return "E-TREND-LIMIT"
    case .duplicatePeriod, .duplicateDealer: return "E-TREND-DUPLICATE"
    }
  }

  public var description: String {
    switch self {
    case .tooManyPeriods(let count):
      return "\(code): cost trend over \(count) periods exceeds \(CostTrends.maxPeriods)"
    case .duplicatePeriod(let period):
      return "\(code): period \(period) appears twice in the cost trend"
    case .duplicateDealer(let dealer, let period):
      return "\(code): dealer \(dealer) has two turnovers in \(period)"
    }
  }
}

public enum CostTrends {
  public static let maxPeriods = 120

  public static func trend(_ facts: [PeriodCostFacts]) throws -> CostTrend {
    guard facts.count <= maxPeriods else { throw CostTrendError.tooManyPeriods(facts.count) }
    let ordered = facts.sorted { $0.period < $1.period }
    for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier.period == later.period {
      throw CostTrendError.duplicatePeriod(later.period)
    }
    let mechanics = Set(ordered.flatMap { $0.lines.map(\.mechanic) }).sorted()
    var points: [TrendPoint] = []
    for fact in ordered {
      let turnover = try Money.sum(fact.turnovers.map(\.netTurnover))
      for mechanic in mechanics + [CostTrend.total] {
        let amounts = fact.lines.filter { mechanic == CostTrend.total || $0.mechanic == mechanic }
        let rebates = try Money.sum(amounts.map(\.amount))
        let share =
          turnover == .zero ? nil : try rebates.exact.divided(by: turnover.exact, scale: 6, .halfUp)
        points.append(
          TrendPoint(
            period: fact.period, mechanic: mechanic, rebates: rebates, turnover: turnover,
            share: share))
      }
    }
    return CostTrend(
      periods: ordered.map(\.period), series: mechanics + [CostTrend.total], points: points,
      noGrowthBonuses: try noGrowthBonuses(ordered))
  }

  /// Bonuses are every off-invoice mechanic the waterfall counts as one (not early payment,
  /// not price protection); growth compares with the immediately preceding period of the same grain.
  static func noGrowthBonuses(_ ordered: [PeriodCostFacts]) throws -> [NoGrowthBonus] {
    let byPeriod = try Dictionary(uniqueKeys: ordered.map { ($0.period, $0) }) {
      CostTrendError.duplicatePeriod($0)
    }
    var flags: [NoGrowthBonus] = []
    for fact in ordered {
      guard let before = byPeriod[fact.period.previous] else { continue }
      let previous = try Dictionary(
        uniqueKeys: before.turnovers.map { ($0.dealer, $0.netTurnover) }
      ) { CostTrendError.duplicateDealer($0, before.period) }
      let bonusLines = fact.lines.filter { WaterfallStep(mechanic: $0.mechanic) == .bonuses }
      for turnover in fact.turnovers.sorted(by: { $0.dealer < $1.dealer }) {
        let bonus = try Money.sum(bonusLines.filter { $0.dealer == turnover.dealer }.map(\.amount))
        guard bonus > .zero, let last = previous[turnover.dealer], turnover.netTurnover <= last
        else {
          continue
        }
        flags.append(
          NoGrowthBonus(
            dealer: turnover.dealer, period: fact.period, bonus: bonus,
            turnover: turnover.netTurnover, previousTurnover: last))
      }
    }
    return flags
  }
}
