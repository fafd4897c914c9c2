import RebateCore

/// Errors of the off-invoice mechanics. Codes are stable and documented in docs/errors.md
/// (section "Mechanics"). Mechanics functions throw these or a `CoreError` (overflow).
public enum MechanicsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// More documents or rules than the engine accepts in one computation.
  case tooMany(String, count: Int, limit: Int)
  /// A document that cannot be computed with (negative payment, negative VAT, ...).
  case invalidDocument(String, reason: String)
  /// Two documents of one kind share a number.
  case duplicateDocument(String)
  /// A payment or credit note names an invoice that is not among the inputs.
  case unknownInvoice(document: String, invoice: String)
  /// A payment or credit note names an invoice of another dealer.
  case dealerMismatch(document: String, invoice: String)
  /// Settings that cannot be applied (tiers out of order, a rate outside 0...1, no version in force).
  case invalidSettings(String, reason: String)
  /// An input the computation needs is missing (a target for plan attainment, a turnover).
  case missingInput(String, reason: String)
  /// An amount must be spread over lines but there is nothing to spread it over.
  case emptyBasis(String)

  public var code: String {
    switch self {
    case .tooMany: return "E-MECH-LIMIT"
    case .invalidDocument: return "E-MECH-DOCUMENT"
    case .duplicateDocument: return "E-MECH-DUPLICATE"
    case .unknownInvoice: return "E-MECH-UNKNOWN-INVOICE"
    case .dealerMismatch: return "E-MECH-DEALER-MISMATCH"
    case .invalidSettings: return "E-MECH-SETTINGS"
    case .missingInput: return "E-MECH-INPUT"
    case .emptyBasis: return "E-MECH-EMPTY-BASIS"
    }
  }

  public var description: String {
    switch self {
    case .tooMany(let what, let count, let limit):
      return "\(code): \(count) \(what) exceed the limit of \(limit)"
    case .invalidDocument(let document, let reason):
      return "\(code): document \(document): \(reason)"
    case .duplicateDocument(let document): return "\(code): document \(document) appears twice"
    case .unknownInvoice(let document, let invoice):
      return "\(code): document \(document) refers to invoice \(invoice), which is not loaded"
    case .dealerMismatch(let document, let invoice):
      return "\(code): document \(document) refers to invoice \(invoice) of another dealer"
    case .invalidSettings(let place, let reason): return "\(code): settings \(place): \(reason)"
    case .missingInput(let place, let reason): return "\(code): \(place): \(reason)"
    case .emptyBasis(let place): return "\(code): \(place): no lines with a positive amount"
    }
  }
}

/// Ceilings on what one computation accepts, so a runaway input fails loudly instead of
/// exhausting memory at close.
public enum MechanicsLimits {
  public static let maxDocuments = 1_000_000
  public static let maxRules = 100

  static func check(_ count: Int, _ what: String, limit: Int = maxDocuments) throws(MechanicsError)
  {
    guard count <= limit else { throw .tooMany(what, count: count, limit: limit) }
  }
}
