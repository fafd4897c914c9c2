import RebateCore

/// When a step applies. A missing list matches everything; a present list must contain the
/// dealer's (or product's) value. Dates are inclusive; quantities are the order line's units.
public struct StepCondition: Sendable, Hashable {
  public var tiers: [String]?
  public var segments: [String]?
  public var regions: [String]?
  public var paymentTerms: [String]?
  public var categories: [String]?
  public var brands: [String]?
  public var skus: [String]?
  public var minimumQuantity: Int?
  public var maximumQuantity: Int?
  public var from: Day?
  public var until: Day?

  public init(
    tiers: [String]? = nil, segments: [String]? = nil, regions: [String]? = nil,
    paymentTerms: [String]? = nil, categories: [String]? = nil, brands: [String]? = nil,
    skus: [String]? = nil, minimumQuantity: Int? = nil, maximumQuantity: Int? = nil,
    from: Day? = nil, until: Day? = nil
  ) {
    self.tiers = tiers
    self.segments = segments
    self.regions = regions
    self.paymentTerms = paymentTerms
    self.categories = categories
    self.brands = brands
    self.skus = skus
    self.minimumQuantity = minimumQuantity
    self.maximumQuantity = maximumQuantity
    self.from = from
    self.until = until
  }

  public static let always = StepCondition()
}

/// What a step does to the price left by the previous one.
public enum StepAdjustment: Sendable, Hashable {
  /// A fraction off the price (0.20); negative is a surcharge.
  case percent(ExactDecimal)
  /// An amount off each unit; negative is a surcharge per unit.
  case amountPerUnit(Money)
  /// The extra discount granted in the dealer's terms, at this position of the cascade.
  case dealerExtra
}

public struct CascadeStep: Sendable, Hashable {
  public var name: String
  public var adjustment: StepAdjustment
  public var condition: StepCondition
  /// The group the step belongs to; its members are written next to each other.
  public var group: String?

  public init(
    name: String, adjustment: StepAdjustment, condition: StepCondition = .always,
    group: String? = nil
  ) {
    self.name = name
    self.adjustment = adjustment
    self.condition = condition
    self.group = group
  }
}

public struct StepGroup: Sendable, Hashable {
  public enum Mode: String, Sendable, Hashable, CaseIterable {
    /// Only the matching step that leaves the lowest price applies (ties: the earlier step).
    case exclusive
    /// The matching percentages add up and apply once (10 % + 5 % = 15 %).
    case additive
  }

  public var name: String
  public var mode: Mode

  public init(name: String, mode: Mode) {
    self.name = name
    self.mode = mode
  }
}

/// Where prices are rounded to the cent (E2).
public struct PriceRounding: Sendable, Hashable {
  public enum Point: String, Sendable, Hashable, CaseIterable {
    /// The exact unit price is rounded once; line = rounded unit × quantity.
    case perUnit = "per_unit"
    /// The exact unit price × quantity is rounded once; the unit shown is rounded for display.
    case perLine = "per_line"
    /// The price is rounded after every step (or group).
    case perStep = "per_step"
  }

  public var point: Point
  public var mode: RoundingMode

  public init(point: Point = .perUnit, mode: RoundingMode = .halfUp) {
    self.point = point
    self.mode = mode
  }
}

/// Floors under the net unit price (E3): net ≥ max(list × (1 − maxTotalDiscount),
/// cost × (1 + minimumMargin)). Floors are rounded up to the cent so they are never breached.
public struct Guardrails: Sendable, Hashable {
  public var maximumTotalDiscount: ExactDecimal?
  public var minimumMargin: ExactDecimal?

  public init(maximumTotalDiscount: ExactDecimal? = nil, minimumMargin: ExactDecimal? = nil) {
    self.maximumTotalDiscount = maximumTotalDiscount
    self.minimumMargin = minimumMargin
  }

  public static let none = Guardrails()
}

/// The on-invoice cascade as the policy writes it: ordered steps, their groups, rounding and
/// guardrails. `PriceEngine` compiles it for fast quoting.
public struct Cascade: Sendable, Hashable {
  public var steps: [CascadeStep]
  public var groups: [StepGroup]
  public var rounding: PriceRounding
  public var guardrails: Guardrails

  public init(
    steps: [CascadeStep], groups: [StepGroup] = [], rounding: PriceRounding = PriceRounding(),
    guardrails: Guardrails = .none
  ) {
    self.steps = steps
    self.groups = groups
    self.rounding = rounding
    self.guardrails = guardrails
  }
}
