import Policy
import PostgresClient
import Pricing
import RebateCore

/// A line priced for a dealer on a day, with the terms and policy version it was priced under.
public struct LineQuote: Sendable {
  public let dealer: String
  public let sku: String
  public let day: Day
  public let terms: DealerTerms
  public let policy: CommercialPolicy
  public let quote: Quote
}

/// Decoded policy versions and their engines, read once per `(id, version)`: loaded versions are
/// immutable, so an entry never goes stale. One cache lives for one command or audit run.
final class PolicyEngines {
  /// A run needs the few versions its dealers' terms name; the cap bounds a run over odd data.
  static let maxEntries = 1_000
  private var entries: [String: (CommercialPolicy, PriceEngine)] = [:]

  func engine(id: String, version: Int, on connection: Connection) throws -> (
    CommercialPolicy, PriceEngine
  ) {
    let key = "\(id) v\(version)"
    if let hit = entries[key] { return hit }
    let policy = try PolicyVersionStore.version(id: id, version: version, on: connection)
    let engine = try LineQuoteStore.engine(for: policy)
    if entries.count >= Self.maxEntries { entries.removeAll() }
    entries[key] = (policy, engine)
    return (policy, engine)
  }
}

/// A dealer as a quote sees it: its attributes and every version of its terms, oldest first.
public struct QuoteDealer: Sendable {
  public let attributes: DealerAttributes
  public let terms: [DealerTerms]
}

/// Quotes through `PriceEngine.quote` with the dealer's approved terms in force on the day
/// (`TermsDesk.inForce`) and the list price of that day.
public enum LineQuoteStore {
  public static let maxQuantity = 1_000_000

  public static func quote(
    dealer: String, sku: String, quantity: Int, on day: Day, connection: Connection
  ) throws -> LineQuote {
    guard (1...maxQuantity).contains(quantity) else {
      throw TermsStoreError.quantity(quantity, limit: maxQuantity)
    }
    let context = try quoteDealer(dealer, on: connection)
    guard let terms = TermsDesk.inForce(context.terms, dealer: dealer, on: day) else {
      throw TermsStoreError.noTermsInForce(dealer: dealer, day: day)
    }
    let product = try productInfo(sku, on: day, connection: connection)
    let (policy, engine) = try PolicyEngines().engine(
      id: terms.policyID, version: terms.policyVersion, on: connection)
    let quote = try price(
      engine: engine, terms: terms, dealer: context.attributes, product: product,
      quantity: quantity, on: day)
    return LineQuote(
      dealer: dealer, sku: sku, day: day, terms: terms, policy: policy, quote: quote)
  }

  /// The dealer's attributes and terms; the API caches this between quotes.
  public static func quoteDealer(_ dealer: String, on connection: Connection) throws
    -> QuoteDealer
  {
    let attributes = try DealerAttributes.read(dealer, on: connection)
    let history = try DealerTermsStore.history(dealer: dealer, on: connection).map(\.terms)
    return QuoteDealer(attributes: attributes, terms: history)
  }

  /// The product as the cascade sees it on `day`, with that day's list price.
  public static func productInfo(_ sku: String, on day: Day, connection: Connection) throws
    -> ProductInfo
  {
    let rows = try connection.query(
      """
      SELECT p.category, p.brand, p.unit_cost_minor,
        (SELECT l.list_price_minor FROM price_list l WHERE l.sku = p.sku
          AND l.effective_from <= $2::date ORDER BY l.effective_from DESC LIMIT 1) AS list_minor
      FROM products p WHERE p.sku = $1
      """, [sku, day.description], purpose: "read product \(sku) on \(day)")
    guard let row = rows.rows.first else { throw TermsStoreError.unknownProduct(sku) }
    guard let listMinor = try row.optionalInt64("list_minor") else {
      throw TermsStoreError.noListPrice(sku: sku, day: day)
    }
    return ProductInfo(
      sku: sku, category: try row.string("category"), brand: try row.string("brand"),
      listPrice: Money(minor: listMinor), cost: Money(minor: try row.int64("unit_cost_minor")))
  }

  /// The one place a stored dealer's terms become a price: the quote and the invoice audit both
  /// call it, so the audit's expected price is exactly what `rebate quote` says.
  public static func price(
    engine: PriceEngine, terms: DealerTerms, dealer: DealerAttributes, product: ProductInfo,
    quantity: Int, on day: Day
  ) throws -> Quote {
    let profile = dealer.profile(tier: terms.tier, extraDiscount: terms.extraDiscount)
    do {
      return try engine.quote(dealer: profile, product: product, quantity: quantity, on: day)
    } catch {
      throw TermsStoreError.rule(code: error.code, description: error.description)
    }
  }

  /// The engine of a decoded policy; a cascade it refuses is refused at load as well.
  public static func engine(for policy: CommercialPolicy) throws -> PriceEngine {
    do {
      return try PriceEngine(policy.cascade)
    } catch {
      throw TermsStoreError.rule(code: error.code, description: error.description)
    }
  }
}
