import RebateCore

/// The program budget cap (E12): off-invoice rebates at most `capShare` of net turnover.
public struct ProgramCostSettings: Sendable, Hashable {
  /// Fraction of net turnover (0.03 for 3 %).
  public var capShare: ExactDecimal

  public init(capShare: ExactDecimal) { self.capShare = capShare }
}

/// A dealer's net turnover of the period and its segment, the denominator of program cost.
public struct DealerTurnover: Sendable, Hashable {
  public let dealer: String
  public let segment: String
  public let netTurnover: Money

  public init(dealer: String, segment: String, netTurnover: Money) {
    self.dealer = dealer
    self.segment = segment
    self.netTurnover = netTurnover
  }
}

/// Rebates over turnover for one dealer, segment, mechanic or the total.
public struct CostRow: Sendable, Hashable {
  public let key: String
  public let rebates: Money
  public let turnover: Money
  /// Fraction, 6 decimals half-up (shown as a percentage with 2); nil for zero turnover.
  public let share: ExactDecimal?
  /// Exact comparison rebates ≤ cap × turnover, not the rounded share.
  public let withinCap: Bool
}

public struct ProgramCostReport: Sendable, Hashable {
  public let period: Period
  public let byDealer: [CostRow]
  public let bySegment: [CostRow]
  /// Each mechanic against the total turnover.
  public let byMechanic: [CostRow]
  public let total: CostRow
  public let explanation: Explanation
}

/// Program cost of `period` (E12) from its off-invoice result lines.
public func programCost(
  lines: [ResultLine], turnovers: [DealerTurnover], period: Period, settings: ProgramCostSettings
) throws -> ProgramCostReport {
  try MechanicsLimits.check(lines.count, "result lines")
  try validateRate(settings.capShare, place: "program cost cap")
  var turnoverByDealer: [String: DealerTurnover] = [:]
  for turnover in turnovers {
    guard turnoverByDealer.updateValue(turnover, forKey: turnover.dealer) == nil else {
      throw MechanicsError.duplicateDocument("turnover of dealer \(turnover.dealer)")
    }
  }
  for line in lines {
    guard line.period == period else {
      throw MechanicsError.invalidDocument(
        "\(line.mechanic) of \(line.dealer)", reason: "belongs to \(line.period), not \(period)")
    }
    guard turnoverByDealer[line.dealer] != nil else {
      throw MechanicsError.missingInput(
        "program cost \(period)", reason: "no turnover for dealer \(line.dealer)")
    }
  }
  let totalTurnover = try Money.sum(turnovers.map(\.netTurnover))
  func row(_ key: String, _ selected: [ResultLine], _ turnover: Money) throws -> CostRow {
    let rebates = try Money.sum(selected.map(\.amount))
    let cap = try turnover.exact.multiplied(by: settings.capShare)
    return CostRow(
      key: key, rebates: rebates, turnover: turnover,
      share: try ratio(rebates, turnover, scale: 6), withinCap: rebates.exact <= cap)
  }
  let byDealer = try turnovers.sorted { $0.dealer < $1.dealer }.map { turnover in
    try row(turnover.dealer, lines.filter { $0.dealer == turnover.dealer }, turnover.netTurnover)
  }
  let segments = Dictionary(grouping: turnovers, by: \.segment)
  let bySegment = try segments.keys.sorted().map { segment in
    let dealers = Set(segments[segment]!.map(\.dealer))
    return try row(
      segment, lines.filter { dealers.contains($0.dealer) },
      Money.sum(segments[segment]!.map(\.netTurnover)))
  }
  let byMechanic = try Set(lines.map(\.mechanic)).sorted().map { mechanic in
    try row(mechanic, lines.filter { $0.mechanic == mechanic }, totalTurnover)
  }
  let total = try row("total", lines, totalTurnover)
  let shareText = total.share.map(percentLabel) ?? "n/a"
  let terms = byMechanic.map(\.rebates.grouped).joined(separator: " + ")
  return ProgramCostReport(
    period: period, byDealer: byDealer, bySegment: bySegment, byMechanic: byMechanic, total: total,
    explanation: Explanation(
      rule: "program cost: off-invoice rebates / net turnover, against the cap",
      inputs: [
        ExplanationInput("net turnover", totalTurnover.grouped),
        ExplanationInput("cap", percentLabel(settings.capShare)),
      ],
      formula: "\(terms) = \(total.rebates.grouped) = \(shareText) of \(totalTurnover.grouped) → "
        + (total.withinCap ? "under" : "over") + " the \(percentLabel(settings.capShare)) cap",
      sources: lines.map { SourceDocument(kind: $0.mechanic, number: $0.dealer, amount: $0.amount) }
    ))
}
