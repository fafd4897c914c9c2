import Policy
import PostgresClient
import Pricing
import RebateCore
import RebateStore

/// Prices one line for one dealer through `LineQuoteStore` (the same reads and pricing as
/// `rebate quote`), with the dealer's terms in force on the quote date (`TermsDesk.inForce`). The
/// dealer, its terms and the product are kept for the services' cache time, so repeated quotes
/// skip the database.
enum QuoteDesk {
  struct View {
    struct Step {
      let label: String
      let applied: String
      let price_after: String
    }
    let dealer: String
    let sku: String
    let quantity: Int
    let date: String
    let policy: String
    let terms_version: Int
    let tier: String
    let list_price: String
    let net_unit_price: String
    let line_total: String
    let effective_discount_percent: String
    let guardrail: String
    let steps: [Step]

    /// The JSON body, keys sorted like the encoder's.
    var json: [UInt8] {
      var object = JSONObjectText(capacity: Self.expectedJSONBytes)
      object.add("date", date)
      object.add("dealer", dealer)
      object.add("effective_discount_percent", effective_discount_percent)
      object.add("guardrail", guardrail)
      object.add("line_total", line_total)
      object.add("list_price", list_price)
      object.add("net_unit_price", net_unit_price)
      object.add("policy", policy)
      object.add("quantity", quantity)
      object.add("sku", sku)
      object.add("steps", objects: steps) { item, step in
        item.add("applied", step.applied)
        item.add("label", step.label)
        item.add("price_after", step.price_after)
      }
      object.add("terms_version", terms_version)
      object.add("tier", tier)
      return object.finish()
    }

    /// A three-step quote is about 520 bytes; room for more steps avoids regrowing the buffer.
    static let expectedJSONBytes = 1024
  }

  /// The store's reading of the dealer, from the database only on a cache miss, so a cached
  /// quote never checks out a connection.
  static func dealerContext(_ dealer: String, services: APIServices) throws -> QuoteDealer {
    try services.quoteDealers.value(dealer) {
      try services.withConnection { connection in
        try TermsRecords.storeCall { try LineQuoteStore.quoteDealer(dealer, on: connection) }
      }
    }
  }

  /// The product with its list price on `day`, cached like the dealer.
  static func productContext(_ sku: String, on day: Day, services: APIServices) throws
    -> ProductInfo
  {
    try services.quoteProducts.value(ProductOnDay(sku: sku, day: day)) {
      try services.withConnection { connection in
        try TermsRecords.storeCall {
          try LineQuoteStore.productInfo(sku, on: day, connection: connection)
        }
      }
    }
  }

  /// `quantity` comes from `APIHandlers.quoteView`, whose field reader holds it to
  /// 1...`LineQuoteStore.maxQuantity`.
  static func quote(
    dealer: String, sku: String, quantity: Int, on day: Day, services: APIServices
  ) throws -> View {
    let context = try dealerContext(dealer, services: services)
    let product = try productContext(sku, on: day, services: services)
    guard let terms = TermsDesk.inForce(context.terms, dealer: dealer, on: day) else {
      throw TermsRecords.refusal(.noTermsInForce(dealer: dealer, day: day))
    }
    let loaded = try services.policies.policy(
      id: terms.policyID, version: terms.policyVersion, services: services)
    let quote = try TermsRecords.storeCall {
      try LineQuoteStore.price(
        engine: loaded.engine, terms: terms, dealer: context.attributes, product: product,
        quantity: quantity, on: day)
    }
    return View(
      dealer: dealer, sku: sku, quantity: quantity, date: day.description,
      policy: loaded.policy.reference, terms_version: terms.version, tier: terms.tier,
      list_price: quote.listPrice.description, net_unit_price: quote.netUnit.description,
      line_total: quote.lineTotal.description,
      effective_discount_percent: quote.effectiveDiscount.percentText(decimals: 2),
      guardrail: quote.guardrail.rawValue,
      steps: quote.steps.map { step in
        let applied: String
        switch step.applied {
        case .percent(let rate): applied = rate.percentText(decimals: 2) + "%"
        case .amountPerUnit(let amount): applied = "-" + amount.description + " per unit"
        }
        return View.Step(
          label: step.label, applied: applied, price_after: step.priceAfter.description)
      })
  }
}

/// The key of a cached product reading: a struct, since formatting a text key cost more than
/// the lookup it served.
struct ProductOnDay: Hashable, Sendable {
  let sku: String
  let day: Day
}
