import Policy
import PostgresClient
import Pricing
import RebateCore
import RebateStore

/// Prices one line for one dealer through `PriceEngine.quote`, with the dealer's terms in force
/// on the quote date (`TermsDesk.inForce`) and the list price of that date. The dealer, its terms
/// and the product are kept for the services' cache time, so repeated quotes skip the database.
enum QuoteDesk {
  static let maxQuantity = 1_000_000

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
    var json: String {
      var object = JSONObjectText()
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
      object.add(
        "steps",
        json: JSONObjectText.array(
          steps.map { step in
            var item = JSONObjectText()
            item.add("applied", step.applied)
            item.add("label", step.label)
            item.add("price_after", step.price_after)
            return item.result
          }))
      object.add("terms_version", terms_version)
      object.add("tier", tier)
      return object.result
    }
  }

  /// A dealer's attributes and every version of its terms.
  struct DealerContext: Sendable {
    let segment: String
    let region: String
    let terms: [DealerTerms]
  }

  /// A product and its list price on one day (nil: no price yet).
  struct ProductContext: Sendable {
    let category: String
    let brand: String
    let costMinor: Int64
    let listMinor: Int64?
  }

  /// Reads the database only on a cache miss, so a cached quote never checks out a connection.
  static func dealerContext(_ dealer: String, services: APIServices) throws -> DealerContext {
    try services.quoteDealers.value(dealer) {
      try services.withConnection { connection in try readDealerContext(dealer, connection) }
    }
  }

  static func readDealerContext(_ dealer: String, _ connection: Connection) throws -> DealerContext
  {
    let rows = try connection.query(
      "SELECT segment, region FROM dealers WHERE dealer_id = $1", [dealer],
      purpose: "read dealer \(dealer)")
    guard let row = rows.rows.first else { throw APIError.notFound("no dealer \(dealer)") }
    let terms = try TermsRecords.storeCall {
      try DealerTermsStore.history(dealer: dealer, on: connection).map(\.terms)
    }
    return DealerContext(
      segment: try row.string("segment"), region: try row.string("region"), terms: terms)
  }

  static func productContext(_ sku: String, on day: Day, services: APIServices) throws
    -> ProductContext
  {
    try services.quoteProducts.value("\(sku)|\(day)") {
      try services.withConnection { connection in try readProductContext(sku, day, connection) }
    }
  }

  static func readProductContext(_ sku: String, _ day: Day, _ connection: Connection) throws
    -> ProductContext
  {
    let rows = try connection.query(
      """
      SELECT p.category, p.brand, p.unit_cost_minor,
        (SELECT l.list_price_minor FROM price_list l WHERE l.sku = p.sku
          AND l.effective_from <= $2::date ORDER BY l.effective_from DESC LIMIT 1) AS list_minor
      FROM products p WHERE p.sku = $1
      """, [sku, day.description], purpose: "read product \(sku) on \(day)")
    guard let row = rows.rows.first else { throw APIError.notFound("no product \(sku)") }
    return ProductContext(
      category: try row.string("category"), brand: try row.string("brand"),
      costMinor: try row.int64("unit_cost_minor"), listMinor: try row.optionalInt64("list_minor"))
  }

  static func quote(
    dealer: String, sku: String, quantity: Int, on day: Day, services: APIServices
  ) throws -> View {
    guard (1...maxQuantity).contains(quantity) else {
      throw APIError.invalidField("quantity", "must be a whole number in 1...\(maxQuantity)")
    }
    let context = try dealerContext(dealer, services: services)
    let product = try productContext(sku, on: day, services: services)
    guard let listMinor = product.listMinor else {
      throw TermsRecords.refusal(.noListPrice(sku: sku, day: day))
    }
    let history = context.terms
    guard let terms = TermsDesk.inForce(history, dealer: dealer, on: day) else {
      throw TermsRecords.refusal(.noTermsInForce(dealer: dealer, day: day))
    }
    let loaded = try services.policies.policy(
      id: terms.policyID, version: terms.policyVersion, services: services)
    let profile = DealerProfile(
      tier: terms.tier, segment: context.segment, region: context.region, paymentTerms: "",
      extraDiscount: terms.extraDiscount)
    let info = ProductInfo(
      sku: sku, category: product.category, brand: product.brand,
      listPrice: Money(minor: listMinor), cost: Money(minor: product.costMinor))
    let quote: Quote
    do {
      quote = try loaded.engine.quote(dealer: profile, product: info, quantity: quantity, on: day)
    } catch {
      throw APIError.rule(error.code, error.description)
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
