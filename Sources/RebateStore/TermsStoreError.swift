import RebateCore

/// Refusals of the policy, terms, quote and invoice-audit store. Codes are stable
/// (docs/errors.md, "Terms and quotes (database)"); the rules' own refusals keep theirs
/// (E-TERMS-*, E-PRICING-*), passed through as `rule`.
public enum TermsStoreError: Error, Sendable, CustomStringConvertible {
  /// The same policy id and version are loaded with other text.
  case policyVersionConflict(reference: String)
  /// A policy text above the size limit.
  case policyTooLarge(bytes: Int, limit: Int)
  /// No loaded version of the policy is in force on the day.
  case policyNotInForce(id: String, day: Day)
  /// A stored policy text no longer decodes (it was valid when loaded).
  case storedPolicyInvalid(reference: String, problems: String)
  case unknownDealer(String)
  case unknownProduct(String)
  case unknownTermsVersion(dealer: String, version: Int)
  /// Terms that are approved, not needed or rejected cannot be approved.
  case notPending(dealer: String, version: Int, approval: String)
  /// The dealer has no approved terms in force on the day.
  case noTermsInForce(dealer: String, day: Day)
  case noListPrice(sku: String, day: Day)
  case quantity(Int, limit: Int)
  /// A rule of the pure side refused (its own code and message).
  case rule(code: String, message: String)

  public var code: String {
    switch self {
    case .policyVersionConflict: return "E-POLICY-VERSION-CONFLICT"
    case .policyTooLarge: return "E-POLICY-TOO-LARGE"
    case .policyNotInForce: return "E-TERMS-POLICY-NOT-IN-FORCE"
    case .storedPolicyInvalid: return "E-POLICY-STORED-INVALID"
    case .unknownDealer: return "E-TERMS-UNKNOWN-DEALER"
    case .unknownProduct: return "E-QUOTE-UNKNOWN-PRODUCT"
    case .unknownTermsVersion: return "E-TERMS-UNKNOWN-VERSION"
    case .notPending: return "E-TERMS-NOT-PENDING"
    case .noTermsInForce: return "E-TERMS-NOT-IN-FORCE"
    case .noListPrice: return "E-QUOTE-NO-PRICE"
    case .quantity: return "E-QUOTE-QUANTITY"
    case .rule(let code, _): return code
    }
  }

  /// The message without its code.
  public var message: String {
    switch self {
    case .policyVersionConflict(let reference):
      return "policy \(reference) is already loaded with other text; loaded versions never "
        + "change: raise the version in the file and load it again"
    case .policyTooLarge(let bytes, let limit):
      return "the policy text is \(bytes) bytes; the limit is \(limit)"
    case .policyNotInForce(let id, let day):
      return "no loaded version of policy \(id) is in force on \(day); load it first "
        + "(rebate policy load FILE)"
    case .storedPolicyInvalid(let reference, let problems):
      return "stored policy \(reference) does not decode:\n\(problems)"
    case .unknownDealer(let dealer):
      return "no dealer \(dealer); import dealers first"
    case .unknownProduct(let sku): return "no product \(sku); import products first"
    case .unknownTermsVersion(let dealer, let version):
      return "dealer \(dealer) has no terms version \(version)"
    case .notPending(let dealer, let version, let approval):
      return "terms v\(version) of \(dealer) are not waiting for approval (\(approval))"
    case .noTermsInForce(let dealer, let day):
      return "dealer \(dealer) has no approved terms in force on \(day); issue terms first "
        + "(rebate terms issue)"
    case .noListPrice(let sku, let day): return "product \(sku) has no list price on \(day)"
    case .quantity(let quantity, let limit):
      return "quantity \(quantity) must be a whole number in 1...\(limit)"
    case .rule(_, let message): return message
    }
  }

  public var description: String { "\(code): \(message)" }

  /// A pure-side refusal whose description starts with its own code.
  public static func rule(code: String, description: String) -> TermsStoreError {
    let prefix = code + ": "
    return .rule(
      code: code,
      message: description.hasPrefix(prefix)
        ? String(description.dropFirst(prefix.count)) : description)
  }
}
