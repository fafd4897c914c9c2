import Close
import Mechanics
import RebateCore

/// One side of a what-if (the stored result or the draft policy's): per dealer its segment,
/// net turnover and amount per mechanic, folded one dealer at a time so a period of 10,000
/// dealers keeps totals only; the period fold gives the fingerprint and program cost.
public struct SimulationSide: Sendable {
  public struct Dealer: Sendable, Hashable {
    public let segment: String
    public let netTurnover: Money
    public let byMechanic: [String: Money]

    public var total: Money { (try? Money.sum(Array(byMechanic.values))) ?? .zero }
  }

  public private(set) var dealers: [String: Dealer] = [:]
  private var fold: PeriodClose

  public init(period: Period, settings: CloseSettings) {
    fold = PeriodClose(period: period, settings: settings)
  }

  public mutating func add(_ result: DealerResult) throws {
    try fold.add(result)
    var byMechanic: [String: Money] = [:]
    for line in result.lines {
      byMechanic[line.mechanic] = try (byMechanic[line.mechanic] ?? .zero).adding(line.amount)
    }
    dealers[result.dealer] = Dealer(
      segment: result.segment, netTurnover: result.netTurnover, byMechanic: byMechanic)
  }

  public func finish() throws -> PeriodSummary { try fold.finish() }
}
