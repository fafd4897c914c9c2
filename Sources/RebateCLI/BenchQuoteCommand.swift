import Foundation
import Policy
import Pricing
import RebateCore

extension CLI {
  static let benchCommands: [Command] = [benchQuoteCommand]

  static let benchQuoteCommand = Command(
    ["bench", "quote"], usage: "rebate bench quote [--steps 50] [--dealers 10000] [--quotes N]",
    summary: "measure quotes per second and single-quote latency on one thread (JSON)"
  ) { arguments, context in
    let steps = try count(&arguments, "steps", default: 50, range: 1...Cascade.maximumSteps)
    let dealers = try count(&arguments, "dealers", default: 10_000, range: 1...1_000_000)
    let quotes = try count(&arguments, "quotes", default: 1_000_000, range: 1...50_000_000)
    try arguments.finish()
    let bench = try QuoteBenchmark(steps: steps, dealers: dealers)
    let result = try bench.run(quotes: quotes)
    context.console.print(
      "{\"quotes_per_second\":\(result.quotesPerSecond),\"p50_ns\":\(result.p50Nanoseconds),"
        + "\"p99_ns\":\(result.p99Nanoseconds),\"steps\":\(steps),\"dealers\":\(dealers),"
        + "\"quotes\":\(quotes),\"checksum\":\(result.checksum)}")
    return 0
  }

  static func count(
    _ arguments: inout Arguments, _ name: String, default value: Int, range: ClosedRange<Int>
  ) throws -> Int {
    guard let text = try arguments.option(name) else { return value }
    guard let number = Int(text), range.contains(number) else {
      throw CLIError.usage(
        "--\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
    }
    return number
  }
}

/// An in-memory workload: a policy with `steps` cascade steps of every kind (tier, segment,
/// region, payment terms, category, brand, SKU lists, quantity breaks, date windows, exclusive
/// and additive groups, surcharges, the dealer's extra discount) and `dealers` dealers whose
/// terms were issued through `TermsDesk`, quoted over 1,000 products.
struct QuoteBenchmark {
  struct Result {
    let quotesPerSecond: Int
    let p50Nanoseconds: UInt64
    let p99Nanoseconds: UInt64
    /// Sum of line totals in minor units, so the work cannot be optimised away.
    let checksum: Int64
  }

  static let tiers = ["Gold", "Silver", "Bronze"]
  static let segments = ["Retail", "Wholesale", "Installer", "Online", "Project"]
  static let regions = ["North", "South", "East", "West", "Central", "Far East", "Volga", "Ural"]
  static let paymentTerms = ["prepayment", "net30", "net60"]
  static let categories = (1...12).map { "Category \($0)" }
  static let brands = (1...6).map { "Brand \($0)" }
  static let productCount = 1_000

  let engine: PriceEngine
  let dealers: [CompiledDealer]
  let products: [CompiledProduct]

  init(steps: Int, dealers dealerCount: Int) throws {
    var random = SplitMix(seed: 2026)
    let cascade = Self.cascade(steps: steps, random: &random)
    engine = try PriceEngine(cascade)
    let start = try Day.parse("2026-01-01")
    let policy = CommercialPolicy(
      id: "bench", version: 1, name: "Benchmark", effectiveFrom: start, periodGrain: .quarter,
      tiers: Self.tiers, cascade: cascade,
      extraDiscount: ExtraDiscountLimits(
        maximum: ExactDecimal(units: 5, scale: 2), approvalAbove: ExactDecimal(units: 2, scale: 2)),
      budgetCap: nil, offInvoice: OffInvoiceSettings())
    var compiled: [CompiledDealer] = []
    compiled.reserveCapacity(dealerCount)
    for index in 0..<dealerCount {
      let terms = try TermsDesk.issue(
        dealer: "D-\(index)", policy: policy, tier: Self.tiers[random.below(Self.tiers.count)],
        extraDiscount: ExactDecimal(units: Int128(random.below(4)), scale: 2), effectiveFrom: start,
        issuedBy: "bench", history: [])
      compiled.append(
        try engine.compile(
          DealerProfile(
            tier: terms.tier, segment: Self.segments[random.below(Self.segments.count)],
            region: Self.regions[random.below(Self.regions.count)],
            paymentTerms: Self.paymentTerms[random.below(Self.paymentTerms.count)],
            extraDiscount: terms.extraDiscount)))
    }
    dealers = compiled
    let engine = engine
    products = (0..<Self.productCount).map { index in
      let listMinor = Int64(1_000 + random.below(2_000_000))
      return engine.compile(
        ProductInfo(
          sku: "SKU-\(index)", category: Self.categories[random.below(Self.categories.count)],
          brand: Self.brands[random.below(Self.brands.count)], listPrice: Money(minor: listMinor),
          cost: Money(minor: listMinor * 6 / 10)))
    }
  }

  static func cascade(steps count: Int, random: inout SplitMix) -> Cascade {
    let percent = { (tenthsOfPercent: Int) in
      StepAdjustment.percent(ExactDecimal(units: Int128(tenthsOfPercent), scale: 3))
    }
    var steps: [CascadeStep] = []
    for index in 0..<count {
      let name = "Step \(index + 1)"
      let step: CascadeStep
      switch index % 10 {
      case 0:
        step = CascadeStep(
          name: name, adjustment: percent(50 + random.below(100)),
          condition: StepCondition(tiers: [tiers[random.below(tiers.count)]]))
      case 1:
        step = CascadeStep(
          name: name, adjustment: percent(10 + random.below(40)),
          condition: StepCondition(
            categories: [categories[random.below(categories.count)]],
            from: try! Day.parse("2026-03-01"), until: try! Day.parse("2026-09-30")))
      case 2:
        step = CascadeStep(
          name: name, adjustment: percent(10 + random.below(30)),
          condition: StepCondition(brands: [brands[random.below(brands.count)]]),
          group: "promo")
      case 3:
        step = CascadeStep(
          name: name, adjustment: .amountPerUnit(Money(minor: Int64(100 + random.below(500)))),
          condition: StepCondition(skus: (0..<25).map { _ in "SKU-\(random.below(productCount))" }),
          group: "promo")
      case 4:
        step = CascadeStep(
          name: name, adjustment: percent(5 + random.below(20)),
          condition: StepCondition(segments: [segments[random.below(segments.count)]]),
          group: "loyalty")
      case 5:
        step = CascadeStep(
          name: name, adjustment: percent(5 + random.below(20)),
          condition: StepCondition(regions: [regions[random.below(regions.count)]]),
          group: "loyalty")
      case 6:
        step = CascadeStep(
          name: name, adjustment: percent(10 + random.below(30)),
          condition: StepCondition(minimumQuantity: 10 + random.below(90)))
      case 7:
        step = CascadeStep(
          name: name, adjustment: percent(-(5 + random.below(20))),
          condition: StepCondition(maximumQuantity: 1 + random.below(5)))
      case 8:
        step = CascadeStep(
          name: name, adjustment: percent(10),
          condition: StepCondition(paymentTerms: [paymentTerms[random.below(paymentTerms.count)]]))
      default:
        step = CascadeStep(name: name, adjustment: index == 9 ? .dealerExtra : percent(5))
      }
      steps.append(step)
    }
    // Group names repeat every ten steps; give each run of members its own group.
    for index in steps.indices {
      if let group = steps[index].group { steps[index].group = "\(group) \(index / 10)" }
    }
    let groups = (0...(count / 10)).flatMap { block in
      [
        StepGroup(name: "promo \(block)", mode: .exclusive),
        StepGroup(name: "loyalty \(block)", mode: .additive),
      ]
    }
    return Cascade(
      steps: steps, groups: groups, rounding: PriceRounding(),
      guardrails: Guardrails(
        maximumTotalDiscount: ExactDecimal(units: 45, scale: 2),
        minimumMargin: ExactDecimal(units: 5, scale: 2)))
  }

  func run(quotes: Int) throws -> Result {
    var trace = QuoteTrace(capacity: engine.cascade.steps.count)
    let firstDay = try Day.parse("2026-01-01")
    var random = SplitMix(seed: 7)
    var checksum: Int64 = 0
    func next() throws -> Int64 {
      let dealer = dealers[random.below(dealers.count)]
      let product = products[random.below(products.count)]
      let figures = try engine.evaluate(
        dealer, product, quantity: 1 + random.below(120),
        on: firstDay.adding(days: random.below(365)), trace: &trace)
      return figures.lineMinor
    }
    for _ in 0..<min(quotes, 10_000) { checksum &+= try next() }
    let started = Self.nanoseconds()
    for _ in 0..<quotes { checksum &+= try next() }
    let elapsed = max(Self.nanoseconds() - started, 1)
    var latencies = [UInt64](repeating: 0, count: quotes)
    for index in 0..<quotes {
      let before = Self.nanoseconds()
      checksum &+= try next()
      latencies[index] = Self.nanoseconds() - before
    }
    latencies.sort()
    return Result(
      quotesPerSecond: Int(UInt64(quotes) * 1_000_000_000 / elapsed),
      p50Nanoseconds: latencies[quotes / 2],
      p99Nanoseconds: latencies[min(quotes - 1, quotes * 99 / 100)], checksum: checksum)
  }

  static func nanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }
}

/// A small deterministic generator, so every run quotes the same workload.
struct SplitMix {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
