/// A rebate period: a month, a quarter or a year. Written `2026-07`, `2026-Q3`, `2026`.
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Grain: String, Sendable, Hashable, CaseIterable {
    case month, quarter, year
  }

  public let grain: Grain
  public let year: Int
  /// Month 1...12, quarter 1...4, or 1 for a year.
  public let index: Int

  public init(grain: Grain, year: Int, index: Int) throws(CoreError) {
    let limit: Int
    switch grain {
    case .month: limit = 12
    case .quarter: limit = 4
    case .year: limit = 1
    }
    guard (1...9999).contains(year), (1...limit).contains(index) else {
      throw .invalidPeriod("\(year)/\(index)", reason: "out of range for a \(grain.rawValue)")
    }
    self.grain = grain
    self.year = year
    self.index = index
  }

  public static func parse(_ text: String) throws(CoreError) -> Period {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard let year = Int(parts[0]), parts[0].count == 4 else {
      throw .invalidPeriod(text, reason: "expected YYYY, YYYY-MM or YYYY-Qn")
    }
    if parts.count == 1 { return try Period(grain: .year, year: year, index: 1) }
    guard parts.count == 2 else {
      throw .invalidPeriod(text, reason: "expected YYYY, YYYY-MM or YYYY-Qn")
    }
    let rest = parts[1]
    if rest.first == "Q", rest.count == 2, let quarter = Int(rest.dropFirst()) {
      return try Period(grain: .quarter, year: year, index: quarter)
    }
    guard rest.count == 2, let month = Int(rest) else {
      throw .invalidPeriod(text, reason: "expected YYYY, YYYY-MM or YYYY-Qn")
    }
    return try Period(grain: .month, year: year, index: month)
  }

  public var firstMonth: Int {
    switch grain {
    case .month: return index
    case .quarter: return (index - 1) * 3 + 1
    case .year: return 1
    }
  }

  public var monthCount: Int {
    switch grain {
    case .month: return 1
    case .quarter: return 3
    case .year: return 12
    }
  }

  // Periods are built from validated components, so their bounds are always valid dates.
  public var firstDay: Day { try! Day(year: year, month: firstMonth, day: 1) }

  public var lastDay: Day {
    let month = firstMonth + monthCount - 1
    return try! Day(year: year, month: month, day: Day.daysIn(year: year, month: month))
  }

  public func contains(_ day: Day) -> Bool { firstDay <= day && day <= lastDay }

  /// The months inside this period, as month periods.
  public var months: [Period] {
    (0..<monthCount).map { try! Period(grain: .month, year: year, index: firstMonth + $0) }
  }

  public var next: Period {
    let limit = grain == .month ? 12 : grain == .quarter ? 4 : 1
    return index == limit
      ? try! Period(grain: grain, year: year + 1, index: 1)
      : try! Period(grain: grain, year: year, index: index + 1)
  }

  public var previous: Period {
    let limit = grain == .month ? 12 : grain == .quarter ? 4 : 1
    return index == 1
      ? try! Period(grain: grain, year: year - 1, index: limit)
      : try! Period(grain: grain, year: year, index: index - 1)
  }

  /// The same period one year earlier (growth conditions, E6).
  public var sameLastYear: Period { try! Period(grain: grain, year: year - 1, index: index) }

  /// The period of the given grain that contains `day`.
  public static func containing(_ day: Day, grain: Grain) -> Period {
    let (year, month, _) = day.components
    switch grain {
    case .month: return try! Period(grain: .month, year: year, index: month)
    case .quarter: return try! Period(grain: .quarter, year: year, index: (month - 1) / 3 + 1)
    case .year: return try! Period(grain: .year, year: year, index: 1)
    }
  }

  public var description: String {
    switch grain {
    case .month: return "\(year)-\(index < 10 ? "0" : "")\(index)"
    case .quarter: return "\(year)-Q\(index)"
    case .year: return "\(year)"
    }
  }

  public static func < (lhs: Period, rhs: Period) -> Bool {
    (lhs.firstDay, lhs.lastDay) < (rhs.firstDay, rhs.lastDay)
  }
}
