/// Errors of quoting. Codes are stable and documented in docs/errors.md.
public enum PricingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The cascade breaks a rule of the engine (see `Cascade.issues`).
  case invalidCascade([CascadeIssue])
  /// A quantity that is not a positive number of units.
  case invalidQuantity(Int)
  /// A dealer extra discount outside 0...100 % or finer than four decimals of a percent.
  case invalidExtraDiscount(String)
  /// A price does not fit the exact representation (absurd list price × quantity).
  case overflow(String)

  public var code: String {
    switch self {
    case .invalidCascade: return "E-PRICING-CASCADE"
    case .invalidQuantity: return "E-PRICING-QUANTITY"
    case .invalidExtraDiscount: return "E-PRICING-EXTRA"
    case .overflow: return "E-PRICING-OVERFLOW"
    }
  }

  public var description: String {
    switch self {
    case .invalidCascade(let issues):
      return "\(code): \(issues.map(\.description).joined(separator: "; "))"
    case .invalidQuantity(let quantity):
      return "\(code): quantity \(quantity) is not a positive number of units"
    case .invalidExtraDiscount(let text):
      return "\(code): extra discount \(text) must be 0...100% with at most 4 decimals"
    case .overflow(let what): return "\(code): arithmetic overflow in \(what)"
    }
  }
}
