import RebateCore

/// Adjustments after close (E10): for each dealer and mechanic, (closed period recomputed with
/// late data) − (closed result), carried by `openPeriod` with a reference to the closed period.
/// The closed lines themselves never change. Differences of 0.00 produce no line. The sources
/// are the closed period plus the documents the recomputation used that the closed result did
/// not (the late data).
public func adjustments(
  closed: [ResultLine], recomputed: [ResultLine], carriedBy openPeriod: Period
)
  throws -> [ResultLine]
{
  try MechanicsLimits.check(closed.count + recomputed.count, "result lines")
  let periods = Set((closed + recomputed).map(\.period))
  guard periods.count <= 1 else {
    throw MechanicsError.invalidDocument(
      "adjustment", reason: "lines of several periods: \(periods.map(\.description).sorted())")
  }
  guard let closedPeriod = periods.first else { return [] }
  guard closedPeriod < openPeriod else {
    throw MechanicsError.invalidDocument(
      "adjustment", reason: "period \(openPeriod) cannot carry an adjustment of \(closedPeriod)")
  }
  let before = try totals(closed)
  let after = try totals(recomputed)
  let keys = Set(before.keys).union(after.keys).sorted {
    ($0.dealer, $0.mechanic) < ($1.dealer, $1.mechanic)
  }
  return try keys.compactMap { key in
    let old = before[key]?.amount ?? .zero
    let new = after[key]?.amount ?? .zero
    let difference = try new.subtracting(old)
    guard difference.minor != 0 else { return nil }
    let known = Set(before[key]?.sources ?? [])
    let late = (after[key]?.sources ?? []).filter { !known.contains($0) }
    return ResultLine(
      dealer: key.dealer, period: openPeriod, mechanic: "adjustment", amount: difference,
      explanation: Explanation(
        rule:
          "adjustment of \(key.mechanic) for closed period \(closedPeriod): recomputed with late data − closed result",
        inputs: [
          ExplanationInput("closed period", closedPeriod.description),
          ExplanationInput("mechanic", key.mechanic),
          ExplanationInput("closed result", old.grouped),
          ExplanationInput("recomputed result", new.grouped),
        ],
        formula: "\(new.grouped) − \(old.grouped) = \(difference.grouped)",
        sources: [
          SourceDocument(kind: "closed_period", number: closedPeriod.description, amount: old)
        ]
          + late,
        note: "adjustment of \(closedPeriod) \(key.mechanic): \(difference.grouped)"))
  }
}

private struct LineKey: Hashable {
  let dealer: String
  let mechanic: String
}

private func totals(_ lines: [ResultLine]) throws -> [LineKey: (
  amount: Money, sources: [SourceDocument]
)] {
  var result: [LineKey: (amount: Money, sources: [SourceDocument])] = [:]
  for line in lines {
    let key = LineKey(dealer: line.dealer, mechanic: line.mechanic)
    let previous = result[key] ?? (.zero, [])
    result[key] = (
      try previous.amount.adding(line.amount), previous.sources + line.explanation.sources
    )
  }
  return result
}
