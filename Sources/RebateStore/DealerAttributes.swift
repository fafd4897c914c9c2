import PostgresClient
import Pricing
import RebateCore

/// A stored dealer's master-data attributes that the cascade's dealer conditions look at
/// (segment, region, payment terms); the tier and extra discount come from the terms in force.
/// The one place a stored dealer becomes a `DealerProfile`: quotes (CLI and API), the invoice
/// audit, terms sheets and price protection all go through `profile`, so they price alike.
public struct DealerAttributes: Sendable, Hashable {
  public let segment: String
  public let region: String
  /// As the policy names them (`prepayment`, `net30`); empty when none is recorded, which meets
  /// no payment-terms condition.
  public let paymentTerms: String

  public init(segment: String, region: String, paymentTerms: String) {
    self.segment = segment
    self.region = region
    self.paymentTerms = paymentTerms
  }

  /// The `dealers` columns `init(row:)` reads.
  static let columns = "segment, region, payment_terms"

  init(row: Row) throws {
    self.init(
      segment: try row.string("segment"), region: try row.string("region"),
      paymentTerms: try row.string("payment_terms"))
  }

  /// The dealer's attributes, or `TermsStoreError.unknownDealer`.
  public static func read(_ dealer: String, on connection: Connection) throws -> DealerAttributes {
    let rows = try connection.query(
      "SELECT \(columns) FROM dealers WHERE dealer_id = $1", [dealer],
      purpose: "read dealer \(dealer)")
    guard let row = rows.rows.first else { throw TermsStoreError.unknownDealer(dealer) }
    return try DealerAttributes(row: row)
  }

  /// The dealer as the cascade sees it under terms giving `tier` and `extraDiscount`.
  public func profile(tier: String, extraDiscount: ExactDecimal) -> DealerProfile {
    DealerProfile(
      tier: tier, segment: segment, region: region, paymentTerms: paymentTerms,
      extraDiscount: extraDiscount)
  }
}
