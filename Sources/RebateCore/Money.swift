/// An amount of money in integer minor units (kopecks, cents) of the book currency, which has
/// two decimals. Amounts never pass through floating point.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
  public static let minorDigits = 2
  public static let minorPerMajor: Int64 = 100

  public let minor: Int64

  @inlinable public init(minor: Int64) { self.minor = minor }

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

  // Inlinable, like `subtracting` and `sum`: the close adds millions of amounts from other
  // modules, and an unspecialized generic `sum` spent a quarter of its time in metadata lookups.
  @inlinable public func adding(_ other: Money) throws(CoreError) -> Money {
    let (sum, overflow) = minor.addingReportingOverflow(other.minor)
    guard !overflow else { throw .overflow("\(self) + \(other)") }
    return Money(minor: sum)
  }

  @inlinable public func subtracting(_ other: Money) throws(CoreError) -> Money {
    let (difference, overflow) = minor.subtractingReportingOverflow(other.minor)
    guard !overflow else { throw .overflow("\(self) - \(other)") }
    return Money(minor: difference)
  }

  /// `self × factor`, rounded to the minor unit once.
  public func multiplied(by factor: ExactDecimal, _ mode: RoundingMode) throws(CoreError) -> Money {
    try Money(rounding: exact.multiplied(by: factor), mode)
  }

  @inlinable public static func sum(_ amounts: some Sequence<Money>) throws(CoreError) -> Money {
    var total = Money.zero
    for amount in amounts { total = try total.adding(amount) }
    return total
  }

  public var negated: Money { Money(minor: -minor) }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minor < rhs.minor }

  /// `1234567.50`: plain, for files and machines.
  public var description: String { exact.description }

  /// `1,234,567.50`: grouped, for people. Built digit by digit into one buffer: statements and
  /// explanations print thousands of amounts per dealer.
  public var grouped: String {
    var magnitude = minor.magnitude
    // 19 digits, 6 commas, a point, a sign: 27 bytes at most, written from the right.
    var bytes = [UInt8](repeating: 0, count: 28)
    var index = bytes.count
    func put(_ byte: UInt8) {
      index -= 1
      bytes[index] = byte
    }
    for _ in 0..<Money.minorDigits {
      put(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    }
    put(UInt8(ascii: "."))
    var digits = 0
    repeat {
      if digits > 0 && digits % 3 == 0 { put(UInt8(ascii: ",")) }
      put(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
      digits += 1
    } while magnitude > 0
    if minor < 0 { put(UInt8(ascii: "-")) }
    return String(decoding: bytes[index...], as: UTF8.self)
  }
}
