import RebateCore

/// Reads dates, quantities and prices straight from a field's bytes the way dealers' systems
/// write them: `2026-07-15` or `15.07.2026`; `1 234,50` or `1234.50`.
enum SellOutValues {
  /// A number as written: sign, whole part, and up to two significant decimals.
  struct Number {
    var negative = false
    var whole: Int64 = 0
    /// The first two decimals as hundredths (",5" → 50).
    var hundredths: Int64 = 0
    /// Any non-zero decimal digit at all.
    var hasFraction = false
    /// A non-zero digit beyond the second decimal.
    var beyondHundredths = false
  }

  enum NumberProblem: Error {
    case notANumber
    case tooLarge
  }

  /// The longest whole part read: 15 digits keep every amount inside Int64 minor units.
  static let maxWholeDigits = 15

  /// Strict: optional sign, digits with optional space or no-break-space grouping, optional
  /// `.` or `,` and digits. "1,5" is one and a half: dealers' systems write a decimal comma.
  static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Number, NumberProblem> {
    var number = Number()
    var index = 0
    if index < bytes.count
      && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+"))
    {
      number.negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var wholeDigits = 0
    var afterDigit = false
    while index < bytes.count {
      let byte = bytes[index]
      if let digit = digit(byte) {
        wholeDigits += 1
        guard wholeDigits <= maxWholeDigits else { return .failure(.tooLarge) }
        number.whole = number.whole * 10 + digit
        afterDigit = true
        index += 1
      } else if let width = groupSeparatorWidth(bytes, at: index), afterDigit,
        index + width < bytes.count, Self.digit(bytes[index + width]) != nil
      {
        index += width
        afterDigit = false
      } else {
        break
      }
    }
    guard wholeDigits > 0 else { return .failure(.notANumber) }
    guard index < bytes.count else { return .success(number) }
    guard bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") else {
      return .failure(.notANumber)
    }
    index += 1
    var decimals = 0
    while index < bytes.count {
      guard let digit = digit(bytes[index]) else { return .failure(.notANumber) }
      decimals += 1
      if decimals <= 2 {
        number.hundredths += digit * (decimals == 1 ? 10 : 1)
      } else if digit != 0 {
        number.beyondHundredths = true
      }
      if digit != 0 { number.hasFraction = true }
      index += 1
    }
    return decimals > 0 ? .success(number) : .failure(.notANumber)
  }

  private static func digit(_ byte: UInt8) -> Int64? {
    byte >= 0x30 && byte <= 0x39 ? Int64(byte - 0x30) : nil
  }

  /// A space, or a no-break space (U+00A0, two bytes in UTF-8), between digit groups.
  private static func groupSeparatorWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int)
    -> Int?
  {
    if bytes[index] == ASCII.space { return 1 }
    if bytes[index] == 0xC2 && index + 1 < bytes.count && bytes[index + 1] == 0xA0 { return 2 }
    return nil
  }

  /// `YYYY-MM-DD` or `DD.MM.YYYY` as (year, month, day); nil when it is neither shape.
  static func dateParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
    guard bytes.count == 10 else { return nil }
    func value(_ range: Range<Int>) -> Int? {
      var result = 0
      for index in range {
        guard let digit = digit(bytes[index]) else { return nil }
        result = result * 10 + Int(digit)
      }
      return result
    }
    if bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-") {
      guard let year = value(0..<4), let month = value(5..<7), let day = value(8..<10) else {
        return nil
      }
      return (year, month, day)
    }
    if bytes[2] == UInt8(ascii: ".") && bytes[5] == UInt8(ascii: ".") {
      guard let day = value(0..<2), let month = value(3..<5), let year = value(6..<10) else {
        return nil
      }
      return (year, month, day)
    }
    return nil
  }

  /// The bytes without leading and trailing spaces and tabs.
  static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0
    var end = bytes.count
    while start < end && (bytes[start] == ASCII.space || bytes[start] == ASCII.tab) { start += 1 }
    while end > start && (bytes[end - 1] == ASCII.space || bytes[end - 1] == ASCII.tab) { end -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
  }

  /// Text for an error message, cut at a character boundary after `maxValueShownBytes`.
  static func shown(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var end = min(bytes.count, SellOutLimits.maxValueShownBytes)
    while end < bytes.count && end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    return end < bytes.count ? text + "…" : text
  }
}
