import Policy
import RebateCore

/// What a dealer did in one period, the inputs of RFM: its last order day, how many orders
/// (invoices) it placed, its net turnover, how many orders it placed the period before (for the
/// churn signal), and its payment grade when one was computed (E11).
public struct DealerActivity: Sendable, Hashable {
  public let dealer: String
  public let lastOrderDay: Day?
  public let orderCount: Int
  public let netTurnover: Money
  public let previousOrderCount: Int
  public let grade: String?

  public init(
    dealer: String, lastOrderDay: Day?, orderCount: Int, netTurnover: Money,
    previousOrderCount: Int, grade: String? = nil
  ) {
    self.dealer = dealer
    self.lastOrderDay = lastOrderDay
    self.orderCount = orderCount
    self.netTurnover = netTurnover
    self.previousOrderCount = previousOrderCount
    self.grade = grade
  }
}

/// When a fall in order frequency counts as a churn signal: the dealer placed at least
/// `minimumPreviousOrders` orders the period before and now places at most
/// (1 − `dropShare`) of them.
public struct ChurnSettings: Sendable, Hashable {
  public var minimumPreviousOrders: Int
  public var dropShare: ExactDecimal

  public init(
    minimumPreviousOrders: Int = 2, dropShare: ExactDecimal = ExactDecimal(units: 5, scale: 1)
  ) {
    self.minimumPreviousOrders = minimumPreviousOrders
    self.dropShare = dropShare
  }
}

/// One dealer's RFM scores (1 worst … 5 best), its named segment, grade and churn signal.
public struct DealerSegment: Sendable, Hashable {
  public let dealer: String
  public let recencyDays: Int?
  public let recency: Int
  public let frequency: Int
  public let monetary: Int
  public let segment: String
  public let grade: String?
  public let churnSignal: Bool
  public let explanation: Explanation

  /// "R5 F4 M3", how finance writes an RFM cell.
  public var cell: String { "R\(recency) F\(frequency) M\(monetary)" }
}

public enum SegmentationError: Error, Equatable, CustomStringConvertible {
  case tooManyDealers(Int)
  case duplicateDealer(String)
  case invalidActivity(String, reason: String)

  public var code: String {
    switch self {
    case .tooManyDealers: return "E-SEGMENT-LIMIT"
    case .duplicateDealer: return "E-SEGMENT-DUPLICATE"
    case .invalidActivity: return "E-SEGMENT-INPUT"
    }
  }

  public var description: String {
    switch self {
    case .tooManyDealers(let count):
      return "\(code): segmentation of \(count) dealers exceeds \(Segmentation.maxDealers)"
    case .duplicateDealer(let dealer):
      return "\(code): dealer \(dealer) appears twice in the segmentation input"
    case .invalidActivity(let dealer, let reason):
      return "\(code): activity of dealer \(dealer): \(reason)"
    }
  }
}

/// RFM by quintile of rank (docs/economics.md): dealers are ranked best first on each measure,
/// ties broken by dealer id, and the rank r of n gives score 5 − ⌊5·r / n⌋.
public enum Segmentation {
  public static let maxDealers = 100_000

  public static func segments(
    _ activities: [DealerActivity], period: Period, churn: ChurnSettings = ChurnSettings()
  ) throws -> [DealerSegment] {
    guard activities.count <= maxDealers else {
      throw SegmentationError.tooManyDealers(activities.count)
    }
    try validate(activities, period: period)
    let end = period.lastDay
    let recencyDays = try Dictionary(
      uniqueKeys: activities.map { ($0.dealer, $0.lastOrderDay.map { $0.days(until: end) }) },
      duplicate: SegmentationError.duplicateDealer)
    // Best first: recent (no order ranks last), many orders, high turnover.
    let recency = scores(activities) { lhs, rhs in
      switch (recencyDays[lhs.dealer] ?? nil, recencyDays[rhs.dealer] ?? nil) {
      case (let left?, let right?): return left < right ? .better : left > right ? .worse : .tied
      case (.some, .none): return .better
      case (.none, .some): return .worse
      case (.none, .none): return .tied
      }
    }
    let frequency = scores(activities) { compare($0.orderCount, $1.orderCount) }
    let monetary = scores(activities) { compare($0.netTurnover, $1.netTurnover) }
    return activities.sorted { $0.dealer < $1.dealer }.map { activity in
      let (r, f, m) = (
        recency[activity.dealer]!, frequency[activity.dealer]!, monetary[activity.dealer]!
      )
      let churning = churnSignal(activity, churn)
      let name = segmentName(recency: r, frequency: f, monetary: m)
      return DealerSegment(
        dealer: activity.dealer, recencyDays: recencyDays[activity.dealer]!, recency: r,
        frequency: f, monetary: m, segment: name, grade: activity.grade, churnSignal: churning,
        explanation: explanation(
          activity, name, r, f, m, churning, recencyDays[activity.dealer]!, churn))
    }
  }

  /// Fixed rules over the scores, tried in `RFMSegment` order; the first that matches names the
  /// dealer.
  public static func segmentName(recency: Int, frequency: Int, monetary: Int) -> String {
    rule(recency: recency, frequency: frequency, monetary: monetary).rawValue
  }

  static func rule(recency: Int, frequency: Int, monetary: Int) -> RFMSegment {
    if recency >= 4 && frequency >= 4 && monetary >= 4 { return .champions }
    if frequency >= 4 && recency >= 3 { return .loyal }
    if recency >= 4 && frequency <= 2 { return .new }
    if recency <= 2 && frequency >= 3 { return .atRisk }
    if recency <= 2 && frequency <= 2 { return .hibernating }
    return .regular
  }

  /// Orders now ≤ previous orders × (1 − drop), for dealers that ordered often enough before.
  public static func churnSignal(_ activity: DealerActivity, _ settings: ChurnSettings) -> Bool {
    guard activity.previousOrderCount >= settings.minimumPreviousOrders else { return false }
    let kept = ExactDecimal.one.subtractingClamped(settings.dropShare)
    guard let limit = try? ExactDecimal(activity.previousOrderCount).multiplied(by: kept) else {
      return false
    }
    return ExactDecimal(activity.orderCount) <= limit
  }

  enum Order { case better, worse, tied }

  static func compare<Value: Comparable>(_ lhs: Value, _ rhs: Value) -> Order {
    lhs > rhs ? .better : lhs < rhs ? .worse : .tied
  }

  static func scores(
    _ activities: [DealerActivity], _ order: (DealerActivity, DealerActivity) -> Order
  )
    -> [String: Int]
  {
    let ranked = activities.sorted { lhs, rhs in
      switch order(lhs, rhs) {
      case .better: return true
      case .worse: return false
      case .tied: return lhs.dealer < rhs.dealer
      }
    }
    let count = ranked.count
    var result: [String: Int] = [:]
    for (rank, activity) in ranked.enumerated() {
      result[activity.dealer] = 5 - (5 * rank) / count
    }
    return result
  }

  static func validate(_ activities: [DealerActivity], period: Period) throws {
    var seen = Set<String>()
    for activity in activities {
      guard seen.insert(activity.dealer).inserted else {
        throw SegmentationError.duplicateDealer(activity.dealer)
      }
      guard activity.orderCount >= 0, activity.previousOrderCount >= 0 else {
        throw SegmentationError.invalidActivity(activity.dealer, reason: "negative order count")
      }
      if let day = activity.lastOrderDay, day > period.lastDay {
        throw SegmentationError.invalidActivity(
          activity.dealer, reason: "last order \(day) is after the end of \(period)")
      }
    }
  }

  static func explanation(
    _ activity: DealerActivity, _ name: String, _ r: Int, _ f: Int, _ m: Int, _ churning: Bool,
    _ days: Int?, _ churn: ChurnSettings
  ) -> Explanation {
    Explanation(
      rule: "RFM quintiles by rank (ties by dealer id), segment rules in docs/economics.md",
      inputs: [
        ExplanationInput("days since last order", days.map(String.init) ?? "no order"),
        ExplanationInput("orders", String(activity.orderCount)),
        ExplanationInput("orders the period before", String(activity.previousOrderCount)),
        ExplanationInput("net turnover", activity.netTurnover.grouped),
        ExplanationInput("payment grade", activity.grade ?? "none"),
      ],
      formula: "R\(r) F\(f) M\(m) → \(name)", sources: [],
      note: churning
        ? "orders fell from \(activity.previousOrderCount) to \(activity.orderCount) "
          + "(drop ≥ \(churn.dropShare.percentText(decimals: 0)) %)"
        : nil)
  }
}

extension ExactDecimal {
  /// 1 − share kept within 0…1 so a mistyped drop never gives a negative limit.
  fileprivate func subtractingClamped(_ share: ExactDecimal) -> ExactDecimal {
    guard let left = try? subtracting(share) else { return .zero }
    return left.isNegative ? .zero : left
  }
}
