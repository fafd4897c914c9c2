import RebateCore

/// Errors of the period close. Codes are stable and documented in docs/errors.md (section
/// "Period close"). Close functions throw these, a `MechanicsError` or a `CoreError`.
public enum CloseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Dealers must reach the period fold in strictly increasing id order (streaming fingerprint).
  case dealerOrder(previous: String, next: String)
  /// A document handed to a dealer's close belongs to another dealer.
  case foreignDocument(dealer: String, document: String)
  /// More dealers, lines or documents than one close accepts.
  case tooMany(String, count: Int, limit: Int)
  /// The period given cannot be closed with these inputs (late data for a later period, ...).
  case invalidInput(String, reason: String)

  public var code: String {
    switch self {
    case .dealerOrder: return "E-CLOSE-ORDER"
    case .foreignDocument: return "E-CLOSE-FOREIGN-DOCUMENT"
    case .tooMany: return "E-CLOSE-LIMIT"
    case .invalidInput: return "E-CLOSE-INPUT"
    }
  }

  public var description: String {
    switch self {
    case .dealerOrder(let previous, let next):
      return "\(code): dealer \(next) came after \(previous); the close needs dealers in id order"
    case .foreignDocument(let dealer, let document):
      return "\(code): close of dealer \(dealer) was given \(document) of another dealer"
    case .tooMany(let what, let count, let limit):
      return "\(code): \(count) \(what) exceed the limit of \(limit)"
    case .invalidInput(let place, let reason): return "\(code): \(place): \(reason)"
    }
  }
}

/// Ceilings of one close, so a runaway input fails loudly instead of exhausting memory.
public enum CloseLimits {
  public static let maxDealers = 1_000_000
  public static let maxLinesPerDealer = 1_000

  static func check(_ count: Int, _ what: String, limit: Int) throws(CloseError) {
    guard count <= limit else { throw .tooMany(what, count: count, limit: limit) }
  }
}
