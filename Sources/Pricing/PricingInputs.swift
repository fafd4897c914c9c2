import RebateCore

/// What the cascade needs to know about a dealer: its attributes and the terms it was granted.
public struct DealerProfile: Sendable, Hashable {
  public var tier: String
  public var segment: String
  public var region: String
  /// The dealer's payment terms as the policy names them (`prepayment`, `net30`).
  public var paymentTerms: String
  /// The extra discount a sales manager granted in the dealer's terms, as a fraction (0.02).
  public var extraDiscount: ExactDecimal

  public init(
    tier: String, segment: String, region: String, paymentTerms: String,
    extraDiscount: ExactDecimal = .zero
  ) {
    self.tier = tier
    self.segment = segment
    self.region = region
    self.paymentTerms = paymentTerms
    self.extraDiscount = extraDiscount
  }
}

/// What the cascade needs to know about a product on the quote date.
public struct ProductInfo: Sendable, Hashable {
  public var sku: String
  public var category: String
  public var brand: String
  public var listPrice: Money
  public var cost: Money

  public init(sku: String, category: String, brand: String, listPrice: Money, cost: Money) {
    self.sku = sku
    self.category = category
    self.brand = brand
    self.listPrice = listPrice
    self.cost = cost
  }
}
