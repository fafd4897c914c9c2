/// An exact decimal number: `units × 10^-scale`. Rates, unit prices and every intermediate of a
/// computation live here so nothing is ever rounded by accident; rounding is always explicit.
///
/// Products keep at most `maxScale` decimals. Policy rates have at most six decimals, so a cascade
/// of three steps is exact; deeper cascades are rounded half-even at the 18th decimal, far below
/// any minor unit (documented in docs/DECISIONS.md).
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
  public static let maxScale = 18
  public let units: Int128
  public let scale: Int

  public init(units: Int128, scale: Int) {
    precondition((0...ExactDecimal.maxScale).contains(scale), "scale within 0...18")
    self.units = units
    self.scale = scale
  }

  public init(_ integer: Int) { self.init(units: Int128(integer), scale: 0) }

  public static let zero = ExactDecimal(0)
  public static let one = ExactDecimal(1)

  /// Strict parse: optional sign, digits, optional `.` and digits. Nothing else is accepted,
  /// so `"12abc"` and `"1,5"` are errors rather than silently read as 12 and 1.
  public static func parse(_ text: String, decimalSeparator: Character = ".") throws(CoreError)
    -> ExactDecimal
  {
    var utf8 = Substring(text)
    var negative = false
    if utf8.first == "-" || utf8.first == "+" {
      negative = utf8.first == "-"
      utf8 = utf8.dropFirst()
    }
    guard !utf8.isEmpty else { throw .invalidNumber(text, reason: "empty") }
    var units: Int128 = 0
    var scale = 0
    var seenSeparator = false
    var digits = 0
    for character in utf8 {
      if character == decimalSeparator {
        guard !seenSeparator else { throw .invalidNumber(text, reason: "two decimal separators") }
        seenSeparator = true
        continue
      }
      guard let digit = character.wholeNumberValue, character.isASCII else {
        throw .invalidNumber(text, reason: "unexpected character '\(character)'")
      }
      digits += 1
      guard digits <= 30 else { throw .invalidNumber(text, reason: "more than 30 digits") }
      units = units * 10 + Int128(digit)
      if seenSeparator { scale += 1 }
    }
    guard digits > 0 else { throw .invalidNumber(text, reason: "no digits") }
    guard scale <= maxScale else { throw .invalidNumber(text, reason: "more than 18 decimals") }
    return ExactDecimal(units: negative ? -units : units, scale: scale)
  }

  static func powerOfTen(_ exponent: Int) -> Int128 {
    var result: Int128 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
  }

  /// The same value at a larger scale (no rounding involved).
  public func rescaled(up newScale: Int) throws(CoreError) -> ExactDecimal {
    precondition(newScale >= scale)
    let (value, overflow) = units.multipliedReportingOverflow(by: Self.powerOfTen(newScale - scale))
    guard !overflow else { throw .overflow("rescaling \(self)") }
    return ExactDecimal(units: value, scale: newScale)
  }

  /// Rounds to `newScale` decimals; a value already that precise is returned unchanged.
  public func rounded(scale newScale: Int, _ mode: RoundingMode) -> ExactDecimal {
    guard newScale < scale else { return self }
    let divisor = Self.powerOfTen(scale - newScale)
    return ExactDecimal(units: roundedQuotient(units, divisor, mode), scale: newScale)
  }

  public func adding(_ other: ExactDecimal) throws(CoreError) -> ExactDecimal {
    let common = max(scale, other.scale)
    let left = try rescaled(up: common)
    let right = try other.rescaled(up: common)
    let (sum, overflow) = left.units.addingReportingOverflow(right.units)
    guard !overflow else { throw .overflow("\(self) + \(other)") }
    return ExactDecimal(units: sum, scale: common)
  }

  public func subtracting(_ other: ExactDecimal) throws(CoreError) -> ExactDecimal {
    try adding(other.negated)
  }

  public var negated: ExactDecimal { ExactDecimal(units: -units, scale: scale) }

  public func multiplied(by other: ExactDecimal) throws(CoreError) -> ExactDecimal {
    let (product, overflow) = units.multipliedReportingOverflow(by: other.units)
    guard !overflow else { throw .overflow("\(self) × \(other)") }
    let exact = scale + other.scale
    guard exact > Self.maxScale else { return ExactDecimal(units: product, scale: exact) }
    let divisor = Self.powerOfTen(exact - Self.maxScale)
    return ExactDecimal(units: roundedQuotient(product, divisor, .halfEven), scale: Self.maxScale)
  }

  /// `self / other` rounded to `scale` decimals; used for ratios shown to people (percentages).
  public func divided(by other: ExactDecimal, scale resultScale: Int, _ mode: RoundingMode)
    throws(CoreError) -> ExactDecimal
  {
    guard other.units != 0 else { throw .overflow("division of \(self) by zero") }
    // self/other = (u1/10^s1)/(u2/10^s2); scaled by 10^r: u1 × 10^(r + s2 - s1) / u2.
    let shift = resultScale + other.scale - scale
    var numerator = units
    var denominator = other.units
    if shift >= 0 {
      let (value, overflow) = numerator.multipliedReportingOverflow(by: Self.powerOfTen(shift))
      guard !overflow else { throw .overflow("\(self) ÷ \(other)") }
      numerator = value
    } else {
      denominator *= Self.powerOfTen(-shift)
    }
    if denominator < 0 {
      numerator = -numerator
      denominator = -denominator
    }
    return ExactDecimal(
      units: roundedQuotient(numerator, denominator, mode), scale: resultScale)
  }

  /// Removes trailing zero decimals: 0.200 becomes 0.2.
  public var normalized: ExactDecimal {
    var value = units
    var newScale = scale
    while newScale > 0 && value % 10 == 0 {
      value /= 10
      newScale -= 1
    }
    return ExactDecimal(units: value, scale: newScale)
  }

  public var isNegative: Bool { units < 0 }

  public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
    let common = max(lhs.scale, rhs.scale)
    // Comparison of values that overflow when aligned cannot happen for in-range inputs
    // (30 digits + 18 decimals); trapping here is an invariant violation, not an input error.
    let left = try! lhs.rescaled(up: common)
    let right = try! rhs.rescaled(up: common)
    return left.units < right.units
  }

  public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
    !(lhs < rhs) && !(rhs < lhs)
  }

  public func hash(into hasher: inout Hasher) {
    let canonical = normalized
    hasher.combine(canonical.units)
    hasher.combine(canonical.scale)
  }

  /// Plain text with exactly `scale` decimals, e.g. `9.762675`, `-0.50`.
  /// `-0.05`, `123.45`: written from the right into one buffer, in 64-bit arithmetic when the
  /// value fits (every amount does): every quote and statement line prints several.
  public var description: String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(40, scale + 2) + 2)
    var position = 0
    func put(_ digit: UInt8) {
      if position == scale && position > 0 { bytes.append(UInt8(ascii: ".")) }
      bytes.append(UInt8(ascii: "0") + digit)
      position += 1
    }
    if let small = UInt64(exactly: units.magnitude) {
      var rest = small
      repeat {
        put(UInt8(rest % 10))
        rest /= 10
      } while rest > 0 || position <= scale
    } else {
      var rest = units.magnitude
      repeat {
        put(UInt8(rest % 10))
        rest /= 10
      } while rest > 0 || position <= scale
    }
    if units < 0 { bytes.append(UInt8(ascii: "-")) }
    bytes.reverse()
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A fraction shown as a percentage with `decimals` places: 0.316 → "31.60".
  public func percentText(decimals: Int = 2, _ mode: RoundingMode = .halfUp) -> String {
    let hundred = ExactDecimal(100)
    // A percentage of an in-range fraction always fits: ×100 adds three digits.
    let percent = try! multiplied(by: hundred)
    if percent.scale < decimals {
      return (try! percent.rescaled(up: decimals)).description
    }
    return percent.rounded(scale: decimals, mode).description
  }
}
