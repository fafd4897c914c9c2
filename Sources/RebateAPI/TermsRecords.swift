import HTTPServer
import Policy
import PostgresClient
import RebateCore
import RebateStore

/// Dealer terms as the API shows them. Reading and writing is `DealerTermsStore`'s (the same
/// calls as `rebate terms`), the rules `TermsDesk`'s; this file shapes the answers and drops the
/// quote cache entry of a dealer whose terms changed.
enum TermsRecords {
  struct View: Encodable {
    let dealer: String
    let version: Int
    let policy: String
    let policy_version: Int
    let tier: String
    let extra_discount_percent: String
    let effective_from: String
    let issued_by: String
    let issued_at: String
    /// `not_needed`, `pending`, `approved` or `rejected`, as stored.
    let approval: String
    let approved_by: String?

    init(_ stored: StoredTerms) {
      let terms = stored.terms
      dealer = terms.dealer
      version = terms.version
      policy = terms.policyID
      policy_version = terms.policyVersion
      tier = terms.tier
      extra_discount_percent = terms.extraDiscount.percentText(decimals: 2)
      effective_from = terms.effectiveFrom.description
      issued_by = terms.issuedBy
      issued_at = stored.issuedAt
      approval = stored.approval
      approved_by = terms.approvedBy
    }
  }

  /// Every version of `dealer`'s terms, oldest first.
  static func history(dealer: String, on connection: Connection) throws -> [View] {
    try storeCall { try DealerTermsStore.history(dealer: dealer, on: connection).map(View.init) }
  }

  /// Terms waiting for approval, of every dealer.
  static func pending(on connection: Connection) throws -> [View] {
    try storeCall { try DealerTermsStore.pending(on: connection).map(View.init) }
  }

  static func issue(
    dealer: String, policyID: String, tier: String, extraDiscount: ExactDecimal,
    effectiveFrom: Day, by user: String, services: APIServices, store: PostgresStore
  ) throws -> View {
    // Dropped after the commit, so a concurrent quote cannot cache the state before it.
    defer { services.quoteDealers.remove(dealer) }
    return try storeCall {
      View(
        try DealerTermsStore.issue(
          dealer: dealer, policyID: policyID, tier: tier, extraDiscount: extraDiscount,
          effectiveFrom: effectiveFrom, by: user, at: services.now(), store: store))
    }
  }

  static func approve(
    dealer: String, version: Int, by user: String, services: APIServices, store: PostgresStore
  ) throws -> View {
    defer { services.quoteDealers.remove(dealer) }
    return try storeCall {
      View(
        try DealerTermsStore.approve(
          dealer: dealer, version: version, by: user, at: services.now(), store: store))
    }
  }

  /// The store's refusals as HTTP errors with the store's codes.
  static func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as TermsStoreError {
      throw refusal(error)
    }
  }

  static func refusal(_ error: TermsStoreError) -> HTTPError {
    switch error {
    case .unknownDealer, .unknownProduct, .unknownTermsVersion:
      return APIError.notFound(error.description)
    case .policyTooLarge, .quantity:
      return HTTPError(status: 400, code: error.code, message: error.message)
    case .policyVersionConflict:
      return APIError.conflict(error.code, error.message)
    default:
      return APIError.rule(error.code, error.message)
    }
  }
}
