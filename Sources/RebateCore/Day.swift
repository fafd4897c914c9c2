/// A calendar date without time or zone (invoice dates, payment dates, effective dates), stored as
/// days since 1970-01-01 so that "days between" is a subtraction.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible, Strideable {
  public let daysSinceEpoch: Int32

  public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

  /// Proleptic Gregorian date from year, month, day (H. Hinnant's days_from_civil).
  public init(year: Int, month: Int, day: Int) throws(CoreError) {
    // The text is built only on failure: this runs for every date of every imported line.
    func invalid(_ reason: String) -> CoreError {
      .invalidDate("\(year)-\(month)-\(day)", reason: reason)
    }
    guard (1...9999).contains(year) else { throw invalid("year out of range") }
    guard (1...12).contains(month) else { throw invalid("month out of range") }
    guard (1...Day.daysIn(year: year, month: month)).contains(day) else {
      throw invalid("day out of range for the month")
    }
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    daysSinceEpoch = Int32(era * 146097 + dayOfEra - 719468)
  }

  public static func isLeap(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  public static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// (year, month, day) of this date (H. Hinnant's civil_from_days).
  public var components: (year: Int, month: Int, day: Int) {
    let z = Int(daysSinceEpoch) + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// `YYYY-MM-DD`, the only form the engine itself writes.
  public static func parse(_ text: String) throws(CoreError) -> Day {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      throw .invalidDate(text, reason: "expected YYYY-MM-DD")
    }
    func number(_ range: Range<Int>) throws(CoreError) -> Int {
      var value = 0
      for byte in bytes[range] {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
          throw .invalidDate(text, reason: "expected YYYY-MM-DD")
        }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value
    }
    return try Day(year: number(0..<4), month: number(5..<7), day: number(8..<10))
  }

  /// `YYYY-MM-DD`, written as bytes: explanations and stored sources print a date per document.
  public var description: String {
    let (year, month, day) = components
    guard (0...9999).contains(year) else {
      let text = String(year)
      return String(repeating: "0", count: max(0, 4 - text.count)) + text
        + "-\(month / 10)\(month % 10)-\(day / 10)\(day % 10)"
    }
    func digit(_ value: Int) -> UInt8 { UInt8(ascii: "0") + UInt8(value) }
    return String(unsafeUninitializedCapacity: 10) { buffer in
      buffer[0] = digit(year / 1000)
      buffer[1] = digit(year / 100 % 10)
      buffer[2] = digit(year / 10 % 10)
      buffer[3] = digit(year % 10)
      buffer[4] = UInt8(ascii: "-")
      buffer[5] = digit(month / 10)
      buffer[6] = digit(month % 10)
      buffer[7] = UInt8(ascii: "-")
      buffer[8] = digit(day / 10)
      buffer[9] = digit(day % 10)
      return 10
    }
  }

  public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + Int32(days)) }

  /// Whole days from `self` to `later` (negative when `later` is earlier).
  public func days(until later: Day) -> Int { Int(later.daysSinceEpoch - daysSinceEpoch) }

  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

  public func distance(to other: Day) -> Int { days(until: other) }
  public func advanced(by n: Int) -> Day { adding(days: n) }
}
