/// Errors of the pure core. Codes are stable and documented in docs/errors.md.
public enum CoreError: Error, Equatable, Sendable, CustomStringConvertible {
  /// An arithmetic result does not fit the exact representation; the engine never wraps.
  case overflow(String)
  /// Text that should be an amount, a rate, a date or a period is not one.
  case invalidNumber(String, reason: String)
  case invalidDate(String, reason: String)
  case invalidPeriod(String, reason: String)

  public var code: String {
    switch self {
    case .overflow: return "E-CORE-OVERFLOW"
    case .invalidNumber: return "E-CORE-NUMBER"
    case .invalidDate: return "E-CORE-DATE"
    case .invalidPeriod: return "E-CORE-PERIOD"
    }
  }

  public var description: String {
    switch self {
    case .overflow(let what): return "\(code): arithmetic overflow in \(what)"
    case .invalidNumber(let text, let reason):
      return "\(code): '\(text)' is not a number: \(reason)"
    case .invalidDate(let text, let reason): return "\(code): '\(text)' is not a date: \(reason)"
    case .invalidPeriod(let text, let reason):
      return "\(code): '\(text)' is not a period: \(reason)"
    }
  }
}
