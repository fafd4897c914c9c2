import Close
import Mechanics
import RebateCore

/// A draft policy's result beside the actual one, for the same period and the same history:
/// cost per mechanic, segment and dealer, as amount and share of net turnover, and the dealers
/// who gain and lose most (docs/what-if.md).
public struct SimulationComparison: Sendable {
  /// One key (mechanic, segment, dealer, or `total`) on both sides.
  public struct Row: Sendable, Hashable {
    public let key: String
    public let actual: Money
    public let simulated: Money
    public let netTurnover: Money

    public var change: Money { (try? simulated.subtracting(actual)) ?? .zero }
    public func share(_ amount: Money) -> ExactDecimal? {
      guard netTurnover.minor != 0 else { return nil }
      return ExactDecimal(
        units: roundedQuotient(
          Int128(amount.minor) * 1_000_000, Int128(netTurnover.minor), .halfUp),
        scale: 6)
    }
  }

  /// How many dealers the gainers and losers lists show.
  public static let moversShown = 10

  public let period: Period
  public let actualPolicy: String
  public let simulatedPolicy: String
  public let actualFingerprint: String
  public let simulatedFingerprint: String
  public let byMechanic: [Row]
  public let bySegment: [Row]
  public let byDealer: [Row]
  public let total: Row
  public let gainers: [Row]
  public let losers: [Row]

  /// `actual` is the stored result with its policy and stored fingerprint (amounts suffice: the
  /// stored fingerprint already covers its lines); `simulated` the draft's, fingerprinted here.
  public init(
    actual: SimulationSide, actualPolicy: String, actualFingerprint: String,
    simulated: SimulationSide, simulatedSummary: PeriodSummary
  ) throws {
    period = simulatedSummary.period
    self.actualPolicy = actualPolicy
    simulatedPolicy = simulatedSummary.policyReference
    self.actualFingerprint = actualFingerprint
    simulatedFingerprint = simulatedSummary.fingerprint
    let keys = Set(actual.dealers.keys).union(simulated.dealers.keys).sorted()
    var dealerRows: [Row] = []
    var mechanics: [String: (Money, Money)] = [:]
    var segments: [String: (Money, Money, Money)] = [:]
    var turnover = Money.zero
    for key in keys {
      let left = actual.dealers[key]
      let right = simulated.dealers[key]
      // Turnover is history, not policy: both sides read the same documents.
      let base = right?.netTurnover ?? left?.netTurnover ?? .zero
      let segment = right?.segment ?? left?.segment ?? "unknown"
      let row = Row(
        key: key, actual: left?.total ?? .zero, simulated: right?.total ?? .zero,
        netTurnover: base)
      dealerRows.append(row)
      turnover = try turnover.adding(base)
      let previous = segments[segment] ?? (.zero, .zero, .zero)
      segments[segment] = (
        try previous.0.adding(row.actual), try previous.1.adding(row.simulated),
        try previous.2.adding(base)
      )
      for (mechanic, amount) in left?.byMechanic ?? [:] {
        let sums = mechanics[mechanic] ?? (.zero, .zero)
        mechanics[mechanic] = (try sums.0.adding(amount), sums.1)
      }
      for (mechanic, amount) in right?.byMechanic ?? [:] {
        let sums = mechanics[mechanic] ?? (.zero, .zero)
        mechanics[mechanic] = (sums.0, try sums.1.adding(amount))
      }
    }
    byDealer = dealerRows
    byMechanic = mechanics.keys.sorted().map {
      Row(key: $0, actual: mechanics[$0]!.0, simulated: mechanics[$0]!.1, netTurnover: turnover)
    }
    bySegment = segments.keys.sorted().map {
      Row(
        key: $0, actual: segments[$0]!.0, simulated: segments[$0]!.1, netTurnover: segments[$0]!.2)
    }
    total = Row(
      key: "total", actual: try Money.sum(dealerRows.map(\.actual)),
      simulated: try Money.sum(dealerRows.map(\.simulated)), netTurnover: turnover)
    // Largest change first; ties by dealer id so the lists never depend on dictionary order.
    gainers = Array(
      dealerRows.filter { $0.change.minor > 0 }
        .sorted { ($1.change.minor, $0.key) < ($0.change.minor, $1.key) }
        .prefix(Self.moversShown))
    losers = Array(
      dealerRows.filter { $0.change.minor < 0 }
        .sorted { ($0.change.minor, $0.key) < ($1.change.minor, $1.key) }
        .prefix(Self.moversShown))
  }

  /// Whether the draft reproduces the actual result line for line.
  public var identical: Bool { actualFingerprint == simulatedFingerprint }
}
