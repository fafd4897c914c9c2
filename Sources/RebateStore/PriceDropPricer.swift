import Policy
import PostgresClient
import Pricing
import RebateCore

/// A dealer's new net unit price after a list price drop (E8): what `rebate quote` would say on
/// the drop's day, through the close policy's cascade and the dealer's approved terms in force
/// then (tier and extra discount). A dealer with no terms yet is priced at its master-data tier.
/// Read once per close: every dealer's master data and terms history.
public struct PriceDropPricer: Sendable {
  let engine: PriceEngine
  let dealers: [String: DealerRecord]
  let terms: [String: [DealerTerms]]

  public init(policy: CommercialPolicy, store: PostgresStore) throws {
    engine = try LineQuoteStore.engine(for: policy)
    dealers = try store.dealersByCode()
    terms = try DealerTermsStore.allHistories(on: store.connection)
  }

  public func newNetUnitPrice(dealer: String, product: ProductInfo, on day: Day) throws
    -> ExactDecimal
  {
    guard let record = dealers[dealer] else {
      throw CloseStoreError.notFound("dealer \(dealer) is not in master data")
    }
    let inForce = TermsDesk.inForce(terms[dealer] ?? [], dealer: dealer, on: day)
    let profile = record.attributes.profile(
      tier: inForce?.tier ?? record.tier, extraDiscount: inForce?.extraDiscount ?? .zero)
    return try SellOutStore.netUnitPrice(
      engine: engine, profile: profile, product: product, on: day)
  }
}

extension CloseStore {
  /// The E8 pricer of `policy` over this database's dealers and terms.
  public func priceDropPricer(_ policy: CommercialPolicy) throws -> PriceDropPricer {
    try PriceDropPricer(policy: policy, store: readerStore)
  }
}
