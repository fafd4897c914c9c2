import RebateCore

/// A version of some settings and the day from which it is in force. A computation over a period
/// splits its documents at each version's day, so a mid-period rate change applies only to the
/// documents dated from that day on.
public struct Effective<Settings: Sendable>: Sendable {
  public let from: Day
  public let settings: Settings

  public init(from: Day, settings: Settings) {
    self.from = from
    self.settings = settings
  }
}

/// The versions that overlap `period`, each with the part of the period it governs.
func windows<Settings>(_ versions: [Effective<Settings>], in period: Period, place: String)
  throws(MechanicsError) -> [(first: Day, last: Day, settings: Settings)]
{
  try MechanicsLimits.check(versions.count, "settings versions", limit: MechanicsLimits.maxRules)
  let sorted = versions.sorted { $0.from < $1.from }
  for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.from == later.from {
    throw .invalidSettings(place, reason: "two versions in force from \(later.from)")
  }
  guard let first = sorted.first, first.from <= period.firstDay else {
    throw .invalidSettings(place, reason: "no version in force on \(period.firstDay)")
  }
  var result: [(first: Day, last: Day, settings: Settings)] = []
  for (index, version) in sorted.enumerated() {
    let end = index + 1 < sorted.count ? sorted[index + 1].from.adding(days: -1) : period.lastDay
    let start = max(version.from, period.firstDay)
    let stop = min(end, period.lastDay)
    if start <= stop { result.append((start, stop, version.settings)) }
  }
  return result
}
