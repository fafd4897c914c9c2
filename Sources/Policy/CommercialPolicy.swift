import Mechanics
import Pricing
import RebateCore
import SellOut

/// How far a sales manager may go with a dealer's extra discount: up to `approvalAbove` on their
/// own authority, above it (up to `maximum`) only with someone else's approval.
public struct ExtraDiscountLimits: Sendable, Hashable {
  public let maximum: ExactDecimal
  public let approvalAbove: ExactDecimal

  public init(maximum: ExactDecimal, approvalAbove: ExactDecimal) {
    precondition(approvalAbove <= maximum, "approval level within the maximum")
    self.maximum = maximum
    self.approvalAbove = approvalAbove
  }

  public static let none = ExtraDiscountLimits(maximum: .zero, approvalAbove: .zero)

  public func needsApproval(_ extraDiscount: ExactDecimal) -> Bool { extraDiscount > approvalAbove }
}

/// The settings of the mechanics settled at the period close; a missing one is not offered.
public struct OffInvoiceSettings: Sendable, Hashable {
  public var earlyPayment: EarlyPaymentSettings?
  public var paymentDiscipline: PaymentDisciplineSettings?
  public var volumeBonus: VolumeBonusSettings?
  public var focusProducts: VolumeBonusSettings?
  public var reportingBonus: ReportingBonusSettings?
  public var priceProtection: PriceProtectionSettings?
  /// Mechanic id (its section name) → who may earn it; a mechanic not listed is open to all.
  public var eligibility: [String: MechanicEligibility]

  public init(
    earlyPayment: EarlyPaymentSettings? = nil, paymentDiscipline: PaymentDisciplineSettings? = nil,
    volumeBonus: VolumeBonusSettings? = nil, focusProducts: VolumeBonusSettings? = nil,
    reportingBonus: ReportingBonusSettings? = nil, priceProtection: PriceProtectionSettings? = nil,
    eligibility: [String: MechanicEligibility] = [:]
  ) {
    self.earlyPayment = earlyPayment
    self.paymentDiscipline = paymentDiscipline
    self.volumeBonus = volumeBonus
    self.focusProducts = focusProducts
    self.reportingBonus = reportingBonus
    self.priceProtection = priceProtection
    self.eligibility = eligibility
  }
}

/// One version of a commercial policy: everything a policy file says, decoded and checked.
public struct CommercialPolicy: Sendable, Hashable {
  public let id: String
  public let version: Int
  public let name: String
  public let effectiveFrom: Day
  public let periodGrain: Period.Grain
  /// The tiers a dealer on this policy can be given; terms name one of them.
  public let tiers: [String]
  public let cascade: Cascade
  public let extraDiscount: ExtraDiscountLimits
  /// Off-invoice rebates may cost at most this fraction of net turnover (E12); nil: no cap.
  public let budgetCap: ExactDecimal?
  public let offInvoice: OffInvoiceSettings

  public init(
    id: String, version: Int, name: String, effectiveFrom: Day, periodGrain: Period.Grain,
    tiers: [String], cascade: Cascade, extraDiscount: ExtraDiscountLimits,
    budgetCap: ExactDecimal?, offInvoice: OffInvoiceSettings
  ) {
    self.id = id
    self.version = version
    self.name = name
    self.effectiveFrom = effectiveFrom
    self.periodGrain = periodGrain
    self.tiers = tiers
    self.cascade = cascade
    self.extraDiscount = extraDiscount
    self.budgetCap = budgetCap
    self.offInvoice = offInvoice
  }

  /// `standard-2026 v3`
  public var reference: String { "\(id) v\(version)" }
}

/// The version of a versioned record in force on a day: the latest effective on or before it,
/// the higher version winning when two start the same day.
public func versionInForce<Record>(
  _ records: [Record], on day: Day, effectiveFrom: (Record) -> Day, version: (Record) -> Int
) -> Record? {
  records.filter { effectiveFrom($0) <= day }.max {
    (effectiveFrom($0), version($0)) < (effectiveFrom($1), version($1))
  }
}

extension CommercialPolicy {
  /// The version of policy `id` in force on `day`.
  public static func inForce(_ policies: [CommercialPolicy], id: String, on day: Day)
    -> CommercialPolicy?
  {
    versionInForce(
      policies.filter { $0.id == id }, on: day, effectiveFrom: \.effectiveFrom, version: \.version)
  }
}
