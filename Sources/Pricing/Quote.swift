import RebateCore

/// Which floor set the net price, if any (E3).
public enum GuardrailBound: String, Sendable, Hashable {
  case none
  /// list × (1 − maximum total discount)
  case maximumTotalDiscount = "max_total_discount"
  /// cost × (1 + minimum margin)
  case minimumMargin = "min_margin"
  /// Amount-per-unit steps would have taken the price below zero.
  case zeroPrice = "zero_price"
}

/// One applied stage as the engine records it, in integers; `Quote` turns it into names.
public struct TraceEntry: Sendable, Hashable {
  var stage: Int32
  /// The steps of the stage that applied, as bits of their offsets in the stage.
  let members: UInt64
  let millionths: Int64
  let amountUnits: Int128
  var priceAfter: Int128
}

/// A reusable buffer for the steps of one quote, so quoting in a loop does not allocate.
public struct QuoteTrace: Sendable {
  public internal(set) var entries: [TraceEntry] = []

  public init(capacity: Int = 16) { entries.reserveCapacity(capacity) }

  mutating func reset() { entries.removeAll(keepingCapacity: true) }
}

/// The integer result of `PriceEngine.evaluate`.
public struct QuoteFigures: Sendable, Hashable {
  /// The unit price after the cascade and before rounding to the cent, in 10^-18.
  public let exactUnitUnits: Int128
  public let netUnitMinor: Int64
  public let lineMinor: Int64
  public let bound: GuardrailBound
  public let discountFloorMinor: Int64?
  public let marginFloorMinor: Int64?
}

/// One line of the trace: what applied and the price it left.
public struct QuoteStep: Sendable, Hashable {
  public enum Applied: Sendable, Hashable {
    case percent(ExactDecimal)
    case amountPerUnit(Money)
  }

  /// The step's name, or for an additive group the names of the steps that added up.
  public let names: [String]
  public let group: String?
  public let applied: Applied
  /// Exact (or rounded to the cent under `per_step` rounding).
  public let priceAfter: ExactDecimal

  public var label: String {
    let joined = names.joined(separator: " + ")
    return group.map { "\($0): \(joined)" } ?? joined
  }
}

/// A priced line with its explanation: every step with the price after it and the guardrail
/// that bound the price.
public struct Quote: Sendable, Hashable {
  public let listPrice: Money
  public let quantity: Int
  /// The unit price the cascade left, before rounding and guardrails.
  public let exactUnit: ExactDecimal
  public let netUnit: Money
  public let lineTotal: Money
  /// 1 − line ÷ (list × quantity), a fraction with six decimals.
  public let effectiveDiscount: ExactDecimal
  public let steps: [QuoteStep]
  public let guardrail: GuardrailBound
  public let discountFloor: Money?
  public let marginFloor: Money?
}

extension PriceEngine {
  /// Quotes one line from plain inputs (the convenient, allocating form of `evaluate`).
  public func quote(dealer: DealerProfile, product: ProductInfo, quantity: Int, on day: Day)
    throws(PricingError) -> Quote
  {
    let compiledDealer = try compile(dealer)
    var trace = QuoteTrace()
    let figures = try evaluate(
      compiledDealer, compile(product), quantity: quantity, on: day, trace: &trace)
    return try quote(from: figures, trace: trace, listPrice: product.listPrice, quantity: quantity)
  }

  public func quote(from figures: QuoteFigures, trace: QuoteTrace, listPrice: Money, quantity: Int)
    throws(PricingError) -> Quote
  {
    let gross = Int128(listPrice.minor) * Int128(quantity)
    var discount = ExactDecimal.zero
    if gross != 0 {
      let ratio = ExactDecimal(
        units: roundedQuotient(Int128(figures.lineMinor) * 1_000_000, gross, .halfUp), scale: 6)
      discount = (try? ExactDecimal.one.subtracting(ratio)) ?? .zero
    }
    return Quote(
      listPrice: listPrice, quantity: quantity,
      exactUnit: FixedPoint.exact(figures.exactUnitUnits).normalized,
      netUnit: Money(minor: figures.netUnitMinor), lineTotal: Money(minor: figures.lineMinor),
      effectiveDiscount: discount, steps: trace.entries.map(step(for:)),
      guardrail: figures.bound, discountFloor: figures.discountFloorMinor.map(Money.init(minor:)),
      marginFloor: figures.marginFloorMinor.map(Money.init(minor:)))
  }

  func step(for entry: TraceEntry) -> QuoteStep {
    let stage = stages[Int(entry.stage)]
    let members = (0..<stage.count).filter { entry.members & (1 << UInt64($0)) != 0 }
    let first = cascade.steps[stage.first + members[0]]
    let applied: QuoteStep.Applied =
      entry.amountUnits != 0 || steps[stage.first + members[0]].kind == .amount
      ? .amountPerUnit(Money(minor: Int64(entry.amountUnits / FixedPoint.unitsPerMinor)))
      : .percent(ExactDecimal(units: Int128(entry.millionths), scale: 6).normalized)
    return QuoteStep(
      names: members.map { cascade.steps[stage.first + $0].name },
      group: stage.mode == .single ? nil : first.group, applied: applied,
      priceAfter: FixedPoint.exact(entry.priceAfter).normalized)
  }
}
