import RebateCore

/// A dealer's attributes as bits of the engine's vocabulary: matching a condition is an AND.
/// Compile once per dealer (per terms version) and quote many times.
public struct CompiledDealer: Sendable, Hashable {
  let tierBit: UInt64
  let segmentBit: UInt64
  let regionBit: UInt64
  let termsBit: UInt64
  /// The extra discount in millionths (0.02 → 20,000).
  let extraMillionths: Int64
}

/// A product's attributes as bits of the engine's vocabulary, with its prices in minor units.
public struct CompiledProduct: Sendable, Hashable {
  let categoryBit: UInt64
  let brandBit: UInt64
  /// Position in the engine's SKU list, or -1 when no step names this SKU.
  let sku: Int32
  let listMinor: Int64
  let costMinor: Int64
}

/// The values one attribute takes in a cascade, each given a bit. Values the policy never names
/// share the top bit, which only "any value" conditions contain.
struct Vocabulary: Sendable, Hashable {
  static let otherBit: UInt64 = 1 << 63
  private(set) var ids: [String: Int] = [:]

  mutating func mask(_ values: [String]?) -> UInt64 {
    guard let values else { return .max }
    var mask: UInt64 = 0
    for value in values {
      let id = ids[value] ?? ids.count
      precondition(id < Cascade.maximumValuesPerAttribute, "vocabulary checked by Cascade.issues")
      ids[value] = id
      mask |= 1 << UInt64(id)
    }
    return mask
  }

  func bit(_ value: String) -> UInt64 {
    ids[value].map { 1 << UInt64($0) } ?? Self.otherBit
  }
}

/// Prices in the engine are exact integers of 10^-18 (the precision of `ExactDecimal`), rates
/// are integers of 10^-6; both fit `Int128` with room for any realistic list price.
enum FixedPoint {
  static let scale = 18
  static let unitsPerMinor: Int128 = 10_000_000_000_000_000
  static let minorDivisor: UInt64 = 10_000_000_000_000_000
  static let rateOne: Int64 = 1_000_000

  /// A fraction with at most six decimals as millionths, nil when it is finer.
  static func millionths(_ fraction: ExactDecimal) -> Int64? {
    let normalized = fraction.normalized
    guard normalized.scale <= 6 else { return nil }
    var units = normalized.units
    for _ in normalized.scale..<6 { units *= 10 }
    return Int64(exactly: units)
  }

  static func exact(_ units: Int128) -> ExactDecimal { ExactDecimal(units: units, scale: scale) }

  /// Rounds up to the cent, for floors: a floor rounded down would let the price breach it.
  static func ceilingMinor(_ numerator: Int128, over denominator: Int128) -> Int128 {
    let quotient = numerator / denominator
    return numerator % denominator > 0 ? quotient + 1 : quotient
  }
}

extension FixedPoint {
  /// `value / divisor` rounded, for divisors that fit 64 bits: two hardware divisions instead of
  /// the generic 128-bit division (which dominated the cost of a quote). Rounds the magnitude,
  /// exactly like `roundedQuotient`, which the tests compare it with.
  @inline(__always)
  static func divided(_ value: Int128, by divisor: UInt64, _ mode: RoundingMode) -> Int128 {
    let magnitude = value.magnitude
    let high = UInt64(truncatingIfNeeded: magnitude >> 64)
    let low = UInt64(truncatingIfNeeded: magnitude)
    let (quotientHigh, remainderHigh) = high.quotientAndRemainder(dividingBy: divisor)
    let (quotientLow, remainder) = divisor.dividingFullWidth((high: remainderHigh, low: low))
    var quotient = UInt128(quotientHigh) << 64 | UInt128(quotientLow)
    // Divisors here are below 2^63, so twice the remainder cannot overflow.
    let twice = remainder &* 2
    if twice > divisor || (twice == divisor && (mode == .halfUp || quotient & 1 == 1)) {
      quotient += 1
    }
    return value < 0 ? -Int128(quotient) : Int128(quotient)
  }
}
