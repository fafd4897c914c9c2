/// An amount of money in integer minor units (kopecks, cents) of the book currency, which has
/// two decimals. Amounts never pass through floating point.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
  public static let minorDigits = 2
  public static let minorPerMajor: Int64 = 100

  public let minor: Int64

  public init(minor: Int64) { self.minor = minor }

  public static let zero = Money(minor: 0)

  /// `"1234.5"` or `"-0.07"`; at most two decimals, strict (see `ExactDecimal.parse`).
  public static func parse(_ text: String, decimalSeparator: Character = ".") throws(CoreError)
    -> Money
  {
    let value = try ExactDecimal.parse(text, decimalSeparator: decimalSeparator)
    guard value.scale <= minorDigits else {
      throw .invalidNumber(text, reason: "more than \(minorDigits) decimals for money")
    }
    return try Money(exact: value)
  }

  /// An exact value that already has at most two decimals.
  public init(exact value: ExactDecimal) throws(CoreError) {
    precondition(value.scale <= Money.minorDigits, "use Money(rounding:) for finer values")
    let scaled = try value.rescaled(up: Money.minorDigits)
    guard let minor = Int64(exactly: scaled.units) else { throw .overflow("money \(value)") }
    self.minor = minor
  }

  /// Rounds an exact value to the minor unit.
  public init(rounding value: ExactDecimal, _ mode: RoundingMode) throws(CoreError) {
    try self.init(exact: value.rounded(scale: Money.minorDigits, mode))
  }

  public var exact: ExactDecimal { ExactDecimal(units: Int128(minor), scale: Money.minorDigits) }

  public func adding(_ other: Money) throws(CoreError) -> Money {
    let (sum, overflow) = minor.addingReportingOverflow(other.minor)
    guard !overflow else { throw .overflow("\(self) + \(other)") }
    return Money(minor: sum)
  }

  public func subtracting(_ other: Money) throws(CoreError) -> Money {
    let (difference, overflow) = minor.subtractingReportingOverflow(other.minor)
    guard !overflow else { throw .overflow("\(self) - \(other)") }
    return Money(minor: difference)
  }

  /// `self × factor`, rounded to the minor unit once.
  public func multiplied(by factor: ExactDecimal, _ mode: RoundingMode) throws(CoreError) -> Money {
    try Money(rounding: exact.multiplied(by: factor), mode)
  }

  public static func sum(_ amounts: some Sequence<Money>) throws(CoreError) -> Money {
    var total = Money.zero
    for amount in amounts { total = try total.adding(amount) }
    return total
  }

  public var negated: Money { Money(minor: -minor) }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minor < rhs.minor }

  /// `1234567.50`: plain, for files and machines.
  public var description: String { exact.description }

  /// `1,234,567.50`: grouped, for people.
  public var grouped: String {
    let plain = ExactDecimal(units: Int128(minor.magnitude), scale: Money.minorDigits).description
    let parts = plain.split(separator: ".")
    var integer = String(parts[0])
    var index = integer.count - 3
    while index > 0 {
      integer.insert(",", at: integer.index(integer.startIndex, offsetBy: index))
      index -= 3
    }
    return (minor < 0 ? "-" : "") + integer + "." + parts[1]
  }
}
