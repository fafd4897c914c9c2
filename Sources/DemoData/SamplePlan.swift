import RebateCore

/// The files of a sample data set, in the import formats of docs/import-formats.md.
public enum SampleTable: String, CaseIterable, Sendable {
  case dealers, products, prices, invoices, payments
  case priceChanges = "price_changes"

  public var header: String {
    switch self {
    case .dealers: return "dealer,name,tier,segment,region,status"
    case .products: return "sku,name,category,brand,cost"
    case .prices: return "sku,list_price,effective_from"
    case .invoices:
      return "document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,"
        + "net_unit_price,refers_to"
    case .payments: return "payment,dealer,date,gross_amount,invoice"
    case .priceChanges: return "sku,new_list_price,effective_date"
    }
  }
}

/// What to generate. Scale 1 is about 200 dealers and 100,000 invoice lines; scale 50 is 10,000
/// dealers and about 5,000,000 lines.
public struct SamplePlan: Sendable {
  public let seed: UInt64
  public let scale: Int
  public let dealerCount: Int
  public let skuCount: Int
  /// Invoices are dated from `firstDay` through `lastDay`; payments after `asOf` are not yet made.
  public let firstDay: Day
  public let lastDay: Day
  public let asOf: Day
  /// Share of invoice lines priced below the dealer's terms (the leakage the audit should find).
  public let leakagePerMille: Int

  public static let maxScale = 200

  public init(seed: UInt64, scale: Int) throws(CoreError) {
    guard (1...SamplePlan.maxScale).contains(scale) else {
      throw .invalidNumber(String(scale), reason: "scale must be 1...\(SamplePlan.maxScale)")
    }
    self.seed = seed
    self.scale = scale
    dealerCount = 200 * scale
    skuCount = 500
    firstDay = try Day.parse("2025-07-01")
    lastDay = try Day.parse("2026-10-31")
    asOf = try Day.parse("2026-11-20")
    leakagePerMille = 15
  }
}
