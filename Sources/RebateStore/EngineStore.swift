import Mechanics
import RebateCore

/// A dealer as master data describes it.
public struct DealerRecord: Sendable, Hashable {
  public let code: String
  public let name: String
  public let tier: String
  public let segment: String
  public let region: String
  public let status: String
  /// Empty when none is recorded (docs/import-formats.md, dealers.csv).
  public let paymentTerms: String

  public init(
    code: String, name: String, tier: String, segment: String, region: String, status: String,
    paymentTerms: String
  ) {
    self.code = code
    self.name = name
    self.tier = tier
    self.segment = segment
    self.region = region
    self.status = status
    self.paymentTerms = paymentTerms
  }

  /// What the cascade's dealer conditions look at besides the tier.
  public var attributes: DealerAttributes {
    DealerAttributes(segment: segment, region: region, paymentTerms: paymentTerms)
  }
}

public struct ProductRecord: Sendable, Hashable {
  public let sku: String
  public let name: String
  public let category: String
  public let brand: String
  public let unitCost: Money

  public init(sku: String, name: String, category: String, brand: String, unitCost: Money) {
    self.sku = sku
    self.name = name
    self.category = category
    self.brand = brand
    self.unitCost = unitCost
  }
}

/// A dealer's invoices and credit notes of a date range, oldest first.
public struct DealerDocuments: Sendable, Hashable {
  public let invoices: [Invoice]
  public let creditNotes: [CreditNote]
}

public enum PeriodStatus: String, Sendable {
  case open, draft, closed
}

public struct PeriodRecord: Sendable, Hashable {
  public let period: Period
  public let status: PeriodStatus
  public let fingerprint: String?
  public let closedBy: String?
  public let closedAt: String?
}

/// What the engine reads and writes. One implementation talks to PostgreSQL; the engine and its
/// tests depend on this protocol only. Time and ids come from the implementation's injected
/// clock and id source, so tests can pin them.
public protocol EngineStore {
  func dealers() throws -> [DealerRecord]
  func products() throws -> [ProductRecord]
  /// The list price in force on `day` (latest `effective_from` on or before it).
  func listPrice(sku: String, on day: Day) throws -> Money?
  /// Invoices and credit notes dated `from...through`.
  func documents(dealer: String, from: Day, through: Day) throws -> DealerDocuments
  /// Payments dated `from...through`.
  func payments(dealer: String, from: Day, through: Day) throws -> [Payment]
  func period(_ period: Period) throws -> PeriodRecord?
  /// Replaces the period's results and marks it `draft`; refused by the database once closed.
  func saveDraft(_ period: Period, results: [ResultLine]) throws
  /// Closes a draft period for good, with the fingerprint of its results.
  func close(_ period: Period, fingerprint: String, by user: String) throws
  func results(_ period: Period) throws -> [ResultLine]
  func audit(actor: String, action: String, subject: String, details: [String: String]) throws
}
