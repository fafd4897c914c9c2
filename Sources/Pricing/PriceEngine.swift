import RebateCore

/// The compiled cascade. Conditions are bit masks over interned attribute values and prices are
/// fixed-point integers, so a quote is a loop of ANDs and multiplications with no allocation
/// (the trace buffer is reused by the caller).
public struct PriceEngine: Sendable {
  public let cascade: Cascade

  struct Condition: Sendable {
    var tiers: UInt64
    var segments: UInt64
    var regions: UInt64
    var terms: UInt64
    var categories: UInt64
    var brands: UInt64
    var skuStart: Int
    var skuCount: Int
    var minimumQuantity: Int
    var maximumQuantity: Int
    var from: Int32
    var until: Int32
  }

  enum Kind: Sendable { case percent, amount, dealerExtra }

  struct Step: Sendable {
    let condition: Condition
    let kind: Kind
    let millionths: Int64
    let amountUnits: Int128
  }

  enum StageMode: Sendable { case single, exclusive, additive }

  struct Stage: Sendable {
    let mode: StageMode
    let first: Int
    let count: Int
  }

  var tiers = Vocabulary()
  var segments = Vocabulary()
  var regions = Vocabulary()
  var terms = Vocabulary()
  var categories = Vocabulary()
  var brands = Vocabulary()
  var skuIDs: [String: Int32] = [:]
  var skuPool: [Int32] = []
  var steps: [Step] = []
  var stages: [Stage] = []
  let maximumDiscountMillionths: Int64?
  let minimumMarginMillionths: Int64?

  public init(_ cascade: Cascade) throws(PricingError) {
    let issues = cascade.issues
    guard issues.isEmpty else { throw .invalidCascade(issues) }
    self.cascade = cascade
    maximumDiscountMillionths = cascade.guardrails.maximumTotalDiscount.flatMap(
      FixedPoint.millionths)
    minimumMarginMillionths = cascade.guardrails.minimumMargin.flatMap(FixedPoint.millionths)
    for step in cascade.steps { steps.append(compile(step)) }
    stages = Self.stages(of: cascade)
  }

  private mutating func compile(_ step: CascadeStep) -> Step {
    let condition = step.condition
    var skuRange: [Int32] = []
    for sku in condition.skus ?? [] {
      let id = skuIDs[sku] ?? Int32(skuIDs.count)
      skuIDs[sku] = id
      skuRange.append(id)
    }
    let start = skuPool.count
    skuPool += Set(skuRange).sorted()
    let compiled = Condition(
      tiers: tiers.mask(condition.tiers), segments: segments.mask(condition.segments),
      regions: regions.mask(condition.regions), terms: terms.mask(condition.paymentTerms),
      categories: categories.mask(condition.categories), brands: brands.mask(condition.brands),
      skuStart: start, skuCount: skuPool.count - start,
      minimumQuantity: condition.minimumQuantity ?? Int.min,
      maximumQuantity: condition.maximumQuantity ?? Int.max,
      from: condition.from?.daysSinceEpoch ?? Int32.min,
      until: condition.until?.daysSinceEpoch ?? Int32.max)
    switch step.adjustment {
    case .percent(let rate):
      // Checked by Cascade.issues: at most six decimals.
      return Step(
        condition: compiled, kind: .percent, millionths: FixedPoint.millionths(rate)!,
        amountUnits: 0)
    case .amountPerUnit(let amount):
      return Step(
        condition: compiled, kind: .amount, millionths: 0,
        amountUnits: Int128(amount.minor) * FixedPoint.unitsPerMinor)
    case .dealerExtra:
      return Step(condition: compiled, kind: .dealerExtra, millionths: 0, amountUnits: 0)
    }
  }

  /// Consecutive steps of one group form one stage; an ungrouped step is a stage of its own.
  static func stages(of cascade: Cascade) -> [Stage] {
    var stages: [Stage] = []
    var index = 0
    while index < cascade.steps.count {
      guard let name = cascade.steps[index].group,
        let group = cascade.groups.first(where: { $0.name == name })
      else {
        stages.append(Stage(mode: .single, first: index, count: 1))
        index += 1
        continue
      }
      var end = index + 1
      while end < cascade.steps.count && cascade.steps[end].group == name { end += 1 }
      stages.append(
        Stage(
          mode: group.mode == .exclusive ? .exclusive : .additive, first: index, count: end - index)
      )
      index = end
    }
    return stages
  }

  // MARK: Inputs

  public func compile(_ dealer: DealerProfile) throws(PricingError) -> CompiledDealer {
    guard let extra = FixedPoint.millionths(dealer.extraDiscount),
      (0...FixedPoint.rateOne).contains(extra)
    else { throw .invalidExtraDiscount(dealer.extraDiscount.description) }
    return CompiledDealer(
      tierBit: tiers.bit(dealer.tier), segmentBit: segments.bit(dealer.segment),
      regionBit: regions.bit(dealer.region), termsBit: terms.bit(dealer.paymentTerms),
      extraMillionths: extra)
  }

  public func compile(_ product: ProductInfo) -> CompiledProduct {
    CompiledProduct(
      categoryBit: categories.bit(product.category), brandBit: brands.bit(product.brand),
      sku: skuIDs[product.sku] ?? -1, listMinor: product.listPrice.minor,
      costMinor: product.cost.minor)
  }

  // MARK: Quoting

  @inline(__always)
  func matches(
    _ condition: Condition, _ dealer: CompiledDealer, _ product: CompiledProduct, _ quantity: Int,
    _ day: Int32
  ) -> Bool {
    guard condition.tiers & dealer.tierBit != 0, condition.segments & dealer.segmentBit != 0,
      condition.regions & dealer.regionBit != 0, condition.terms & dealer.termsBit != 0,
      condition.categories & product.categoryBit != 0, condition.brands & product.brandBit != 0,
      quantity >= condition.minimumQuantity, quantity <= condition.maximumQuantity,
      day >= condition.from, day <= condition.until
    else { return false }
    return condition.skuCount == 0 || containsSKU(product.sku, condition)
  }

  func containsSKU(_ sku: Int32, _ condition: Condition) -> Bool {
    var low = condition.skuStart
    var high = condition.skuStart + condition.skuCount
    while low < high {
      let middle = (low + high) / 2
      if skuPool[middle] < sku { low = middle + 1 } else { high = middle }
    }
    return low < condition.skuStart + condition.skuCount && skuPool[low] == sku
  }

  @inline(__always)
  func applying(_ millionths: Int64, to price: Int128) throws(PricingError) -> Int128 {
    let (product, overflow) = price.multipliedReportingOverflow(
      by: Int128(FixedPoint.rateOne - millionths))
    guard !overflow else { throw .overflow("price \(FixedPoint.exact(price)) × rate") }
    // The same half-even rounding at the 18th decimal as ExactDecimal.multiplied.
    return FixedPoint.divided(product, by: UInt64(FixedPoint.rateOne), .halfEven)
  }

  @inline(__always)
  func applying(_ step: Step, _ dealer: CompiledDealer, to price: Int128) throws(PricingError)
    -> (price: Int128, millionths: Int64, amountUnits: Int128)
  {
    switch step.kind {
    case .percent: return (try applying(step.millionths, to: price), step.millionths, 0)
    case .dealerExtra:
      return (try applying(dealer.extraMillionths, to: price), dealer.extraMillionths, 0)
    case .amount: return (price - step.amountUnits, 0, step.amountUnits)
    }
  }

  /// Prices one line: the cascade, rounding and guardrails. `trace` is cleared and refilled.
  public func evaluate(
    _ dealer: CompiledDealer, _ product: CompiledProduct, quantity: Int, on day: Day,
    trace: inout QuoteTrace
  ) throws(PricingError) -> QuoteFigures {
    guard quantity > 0 else { throw .invalidQuantity(quantity) }
    trace.reset()
    let rounding = cascade.rounding
    var price = Int128(product.listMinor) * FixedPoint.unitsPerMinor
    for (stageIndex, stage) in stages.enumerated() {
      guard
        var entry = try apply(stage, dealer, product, quantity, day.daysSinceEpoch, price)
      else { continue }
      if rounding.point == .perStep {
        entry.priceAfter = roundedToCent(entry.priceAfter, rounding.mode)
      }
      entry.stage = Int32(stageIndex)
      price = entry.priceAfter
      trace.entries.append(entry)
    }
    return try finish(price, product, quantity)
  }

  /// The entry for a stage that applies to this line, or nil when none of its steps match.
  @inline(__always)
  func apply(
    _ stage: Stage, _ dealer: CompiledDealer, _ product: CompiledProduct, _ quantity: Int,
    _ day: Int32, _ price: Int128
  ) throws(PricingError) -> TraceEntry? {
    switch stage.mode {
    case .single:
      let step = steps[stage.first]
      guard matches(step.condition, dealer, product, quantity, day) else { return nil }
      // A dealer without an extra discount has no such step in its trace.
      if step.kind == .dealerExtra && dealer.extraMillionths == 0 { return nil }
      let result = try applying(step, dealer, to: price)
      return TraceEntry(
        stage: 0, members: 1, millionths: result.millionths, amountUnits: result.amountUnits,
        priceAfter: result.price)
    case .exclusive:
      var best: TraceEntry?
      for offset in 0..<stage.count {
        let step = steps[stage.first + offset]
        guard matches(step.condition, dealer, product, quantity, day) else { continue }
        let result = try applying(step, dealer, to: price)
        if best == nil || result.price < best!.priceAfter {
          best = TraceEntry(
            stage: 0, members: 1 << UInt64(offset), millionths: result.millionths,
            amountUnits: result.amountUnits, priceAfter: result.price)
        }
      }
      return best
    case .additive:
      var members: UInt64 = 0
      var total: Int64 = 0
      for offset in 0..<stage.count {
        let step = steps[stage.first + offset]
        guard matches(step.condition, dealer, product, quantity, day) else { continue }
        members |= 1 << UInt64(offset)
        total += step.millionths
      }
      guard members != 0 else { return nil }
      return TraceEntry(
        stage: 0, members: members, millionths: total, amountUnits: 0,
        priceAfter: try applying(total, to: price))
    }
  }

  func roundedToCent(_ price: Int128, _ mode: RoundingMode) -> Int128 {
    FixedPoint.divided(price, by: FixedPoint.minorDivisor, mode) * FixedPoint.unitsPerMinor
  }

  /// Rounding to the cent, then the guardrail floors.
  func finish(_ exactUnits: Int128, _ product: CompiledProduct, _ quantity: Int)
    throws(PricingError)
    -> QuoteFigures
  {
    let mode = cascade.rounding.mode
    var unitMinor = FixedPoint.divided(exactUnits, by: FixedPoint.minorDivisor, mode)
    var lineMinor: Int128
    if cascade.rounding.point == .perLine {
      let (exactLine, overflow) = exactUnits.multipliedReportingOverflow(by: Int128(quantity))
      guard !overflow else { throw .overflow("line of \(quantity) units") }
      lineMinor = FixedPoint.divided(exactLine, by: FixedPoint.minorDivisor, mode)
    } else {
      lineMinor = unitMinor * Int128(quantity)
    }
    var bound = GuardrailBound.none
    let discountFloor = maximumDiscountMillionths.map {
      FixedPoint.ceilingMinor(
        Int128(product.listMinor) * Int128(FixedPoint.rateOne - $0),
        over: Int128(FixedPoint.rateOne))
    }
    let marginFloor = minimumMarginMillionths.map {
      FixedPoint.ceilingMinor(
        Int128(product.costMinor) * Int128(FixedPoint.rateOne + $0),
        over: Int128(FixedPoint.rateOne))
    }
    var floor: Int128 = 0
    if let discountFloor, discountFloor > floor {
      floor = discountFloor
      bound = .maximumTotalDiscount
    }
    if let marginFloor, marginFloor >= floor, marginFloor > 0 {
      floor = marginFloor
      bound = .minimumMargin
    }
    if unitMinor < floor || unitMinor < 0 {
      if floor == 0 { bound = .zeroPrice }
      unitMinor = floor
      lineMinor = floor * Int128(quantity)
    } else {
      bound = .none
    }
    guard let unit = Int64(exactly: unitMinor), let line = Int64(exactly: lineMinor) else {
      throw .overflow("line of \(quantity) units at \(FixedPoint.exact(exactUnits))")
    }
    return QuoteFigures(
      exactUnitUnits: exactUnits, netUnitMinor: unit, lineMinor: line, bound: bound,
      discountFloorMinor: discountFloor.map { Int64($0) },
      marginFloorMinor: marginFloor.map { Int64($0) })
  }
}

extension PriceEngine {
  /// The steps whose dealer conditions (tier, segment, region, payment terms) this dealer meets:
  /// what a terms sheet lists, decided by the same masks the quote uses.
  public func stepsOffered(to dealer: CompiledDealer) -> [Int] {
    steps.indices.filter { index in
      let condition = steps[index].condition
      return condition.tiers & dealer.tierBit != 0 && condition.segments & dealer.segmentBit != 0
        && condition.regions & dealer.regionBit != 0 && condition.terms & dealer.termsBit != 0
    }
  }
}
