import Mechanics
import RebateCore

/// The period-level fold of a close. Dealers arrive one at a time in id order (so a close of
/// 10,000 dealers never holds more than one dealer's documents); the fold keeps only what the
/// period needs: a running fingerprint, totals, grades and program cost rows.
public struct PeriodClose: Sendable {
  public let period: Period
  public let settings: CloseSettings
  private var hasher = SHA256()
  private var lastDealer: String?
  private var dealerCount = 0
  private var lineCount = 0
  private var totalsByMechanic: [String: Money] = [:]
  private var gradeCounts: [String: Int] = [:]
  private var dealerCosts: [CostRow] = []
  private var segmentTurnover: [String: Money] = [:]
  private var segmentRebates: [SegmentMechanic: Money] = [:]

  private struct SegmentMechanic: Hashable {
    let segment: String
    let mechanic: String
  }

  public init(period: Period, settings: CloseSettings) {
    self.period = period
    self.settings = settings
  }

  var costSettings: ProgramCostSettings {
    // No cap in the policy: every share is "within" a cap of 100 %, and reports say "no cap".
    ProgramCostSettings(capShare: settings.budgetCap ?? .one)
  }

  public mutating func add(_ result: DealerResult) throws {
    if let lastDealer, lastDealer >= result.dealer {
      throw CloseError.dealerOrder(previous: lastDealer, next: result.dealer)
    }
    guard result.period == period else {
      throw CloseError.invalidInput(
        "close of \(period)", reason: "dealer \(result.dealer) was closed for \(result.period)")
    }
    dealerCount += 1
    try CloseLimits.check(dealerCount, "dealers", limit: CloseLimits.maxDealers)
    lastDealer = result.dealer
    // Per-dealer canonical texts in dealer order concatenate into Fingerprint.canonicalText.
    hasher.update(result.canonicalText)
    lineCount += result.lines.count
    if let grade = result.discipline?.grade { gradeCounts[grade, default: 0] += 1 }
    let costLines = programLines(result.lines)
    for line in result.lines {
      totalsByMechanic[line.mechanic] = try (totalsByMechanic[line.mechanic] ?? .zero).adding(
        line.amount)
    }
    for line in costLines {
      let key = SegmentMechanic(segment: result.segment, mechanic: line.mechanic)
      segmentRebates[key] = try (segmentRebates[key] ?? .zero).adding(line.amount)
    }
    segmentTurnover[result.segment] = try (segmentTurnover[result.segment] ?? .zero).adding(
      result.netTurnover)
    let own = try programCost(
      lines: costLines,
      turnovers: [
        DealerTurnover(
          dealer: result.dealer, segment: result.segment, netTurnover: result.netTurnover)
      ], period: period, settings: costSettings)
    dealerCosts += own.byDealer
  }

  public func finish() throws -> PeriodSummary {
    // Segments stand in for dealers so the Mechanics' report folds them without the detail.
    let segmentLines = segmentRebates.keys.sorted {
      ($0.segment, $0.mechanic) < ($1.segment, $1.mechanic)
    }
    .map { key in
      ResultLine(
        dealer: key.segment, period: period, mechanic: key.mechanic,
        amount: segmentRebates[key]!,
        explanation: Explanation(rule: "", inputs: [], formula: "", sources: []))
    }
    let turnovers = segmentTurnover.keys.sorted().map {
      DealerTurnover(dealer: $0, segment: $0, netTurnover: segmentTurnover[$0]!)
    }
    let report = try programCost(
      lines: segmentLines, turnovers: turnovers, period: period, settings: costSettings)
    var digest = hasher
    return PeriodSummary(
      period: period, policyReference: settings.policyReference, dealerCount: dealerCount,
      lineCount: lineCount, fingerprint: SHA256.hexString(digest.finalize()),
      totalsByMechanic: totalsByMechanic.keys.sorted().map { ($0, totalsByMechanic[$0]!) },
      gradeCounts: gradeCounts.keys.sorted().map { ($0, gradeCounts[$0]!) },
      cost: PeriodCost(
        period: period, cap: settings.budgetCap, byDealer: dealerCosts,
        bySegment: report.bySegment, byMechanic: report.byMechanic, total: report.total))
  }
}

/// Lines that count as the period's program cost: adjustments are cost of the closed period
/// they correct, so they stay out of this period's share (docs/DECISIONS.md).
func programLines(_ lines: [ResultLine]) -> [ResultLine] {
  lines.filter { $0.mechanic != adjustmentMechanic }
}

/// Program cost of a period (E12), per dealer, segment, mechanic and in total.
public struct PeriodCost: Sendable, Hashable {
  public let period: Period
  public let cap: ExactDecimal?
  public let byDealer: [CostRow]
  public let bySegment: [CostRow]
  public let byMechanic: [CostRow]
  public let total: CostRow
}

/// What a close produced for the whole period.
public struct PeriodSummary: Sendable {
  public let period: Period
  public let policyReference: String
  public let dealerCount: Int
  public let lineCount: Int
  /// SHA-256 of `Fingerprint.canonicalText` of every line of the period.
  public let fingerprint: String
  public let totalsByMechanic: [(mechanic: String, amount: Money)]
  public let gradeCounts: [(grade: String, dealers: Int)]
  public let cost: PeriodCost
}

/// Closes every dealer in memory: for tests and small periods. Large closes stream dealers
/// through `closeDealer` and `PeriodClose.add` instead.
public func closePeriod(
  _ dealers: [DealerDocuments], period: Period, settings: CloseSettings,
  lateData: [String: [LateDataCheck]] = [:]
) throws -> (results: [DealerResult], summary: PeriodSummary) {
  var fold = PeriodClose(period: period, settings: settings)
  var results: [DealerResult] = []
  for documents in dealers.sorted(by: { $0.dealer < $1.dealer }) {
    let result = try closeDealer(
      documents, period: period, settings: settings, lateData: lateData[documents.dealer] ?? [])
    try fold.add(result)
    results.append(result)
  }
  return (results, try fold.finish())
}
