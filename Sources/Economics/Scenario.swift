import Close
import Mechanics
import Policy
import PolicyFormat
import Pricing
import RebateCore
import SellOut

/// A self-contained what-if: a policy and the data it acts on, in one file (docs/what-if.md).
/// Nothing here touches a database; `ScenarioRun` computes the period in memory.
public struct Scenario: Sendable {
  public let name: String
  public let period: Period
  public let policy: CommercialPolicy
  public let dealers: [ScenarioDealer]
  public let products: [String: ProductInfo]
  public let invoices: [Invoice]
  public let creditNotes: [CreditNote]
  public let payments: [Payment]
  /// Dealer → monthly reports (received day) and sales.
  public let sellOut: [String: SellOutData]
  public let priceChanges: [PriceChange]
  public let quotes: [ScenarioQuote]
  public let allocations: [ScenarioAllocation]
  /// When the previous period was closed: documents recorded after it are late data, carried
  /// into this period as adjustments (E10).
  public let previousClosedOn: Day?
  /// Document number or payment id → the day it was recorded, when later than its own date.
  public let recorded: [String: Day]
  public let expectations: [ScenarioExpectation]

  /// Whether the document was known on `day` (recorded by then).
  func known(_ number: String, dated: Day, on day: Day) -> Bool {
    (recorded[number] ?? dated) <= day
  }
}

/// An amount spread over bases by largest remainder (E9).
public struct ScenarioAllocation: Sendable, Hashable {
  public let name: String
  public let amount: Money
  public let bases: [Money]
}

/// A dealer of a scenario: master data for the cascade and the close.
public struct ScenarioDealer: Sendable, Hashable {
  public let id: String
  public let tier: String
  public let segment: String
  public let region: String
  public let paymentTerms: String
  public let priorGrade: String?
  /// RFM segment stored for the previous period (`eligible_segments`); nil: none stored.
  public let priorSegment: String?

  var pricing: Pricing.DealerProfile {
    Pricing.DealerProfile(
      tier: tier, segment: segment, region: region, paymentTerms: paymentTerms)
  }
}

/// One line quoted through the cascade (E1–E3).
public struct ScenarioQuote: Sendable, Hashable {
  public let name: String
  public let dealer: String
  public let sku: String
  public let quantity: Int
  public let day: Day
}

/// A figure the scenario must produce: `subject` is a quote name or a dealer id (or `total`),
/// `figure` a mechanic, `grade`, `net_unit`, `line`, `effective_discount`, `program_cost_share`.
public struct ScenarioExpectation: Sendable, Hashable {
  public let subject: String
  public let figure: String
  public let value: String
}

/// The scenario file's own tables; every other table belongs to the policy.
let scenarioTables: Set<String> = [
  "scenario", "dealer", "product", "invoice", "credit_note", "payment", "sellout",
  "price_change", "quote", "allocation", "expect",
]

/// Limits on what a scenario file may hold: scenarios are examples, not data sets.
enum ScenarioLimits {
  static let maxRows = 10_000
}
