import Mechanics
import Policy
import RebateCore
import SellOut

/// What the close needs from a policy version: the off-invoice mechanics with who may earn each
/// (`offInvoice.eligibility`), the budget cap, and the provenance.
public struct CloseSettings: Sendable, Hashable {
  public var offInvoice: OffInvoiceSettings
  /// Fraction of net turnover (E12); nil: no cap, the cost report shows shares only.
  public var budgetCap: ExactDecimal?
  /// Provenance shown on statements: `standard-2026 v3`.
  public var policyReference: String

  public init(
    offInvoice: OffInvoiceSettings, budgetCap: ExactDecimal? = nil, policyReference: String
  ) {
    self.offInvoice = offInvoice
    self.budgetCap = budgetCap
    self.policyReference = policyReference
  }

  public init(policy: CommercialPolicy) {
    self.init(
      offInvoice: policy.offInvoice, budgetCap: policy.budgetCap,
      policyReference: policy.reference)
  }

  /// Whether the close must measure sell-out completeness (a query per reporting dealer).
  public var needsSellOutCompleteness: Bool {
    offInvoice.eligibility.values.contains { $0.minSellOutCompleteness != nil }
  }

  /// Whether the close must read the RFM segments stored for the period before (and, for a
  /// late-data recompute, the one before that).
  public var needsPriorSegments: Bool {
    offInvoice.eligibility.values.contains { $0.segments != nil }
  }
}
