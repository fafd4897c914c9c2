import Mechanics
import Policy
import RebateCore
import SellOut

/// What the close needs from a policy version: the off-invoice mechanics, the budget cap, and
/// which payment grades each mechanic accepts.
public struct CloseSettings: Sendable, Hashable {
  public var offInvoice: OffInvoiceSettings
  /// Fraction of net turnover (E12); nil: no cap, the cost report shows shares only.
  public var budgetCap: ExactDecimal?
  /// Mechanic id → grades (from the previous period's close) that may earn it. A mechanic not
  /// listed is open to every grade; a dealer without a grade yet passes (nothing to hold against it).
  public var gradeEligibility: [String: Set<String>]
  /// Provenance shown on statements: `standard-2026 v3`.
  public var policyReference: String

  public init(
    offInvoice: OffInvoiceSettings, budgetCap: ExactDecimal? = nil,
    gradeEligibility: [String: Set<String>] = [:], policyReference: String
  ) {
    self.offInvoice = offInvoice
    self.budgetCap = budgetCap
    self.gradeEligibility = gradeEligibility
    self.policyReference = policyReference
  }

  public init(policy: CommercialPolicy, gradeEligibility: [String: Set<String>] = [:]) {
    self.init(
      offInvoice: policy.offInvoice, budgetCap: policy.budgetCap,
      gradeEligibility: gradeEligibility, policyReference: policy.reference)
  }
}
