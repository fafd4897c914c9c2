import RebateCore
import Testing

@testable import Pricing

func money(_ text: String) -> Money { try! Money.parse(text) }
func rate(_ text: String) -> ExactDecimal { try! ExactDecimal.parse(text) }
func day(_ text: String) -> Day { try! Day.parse(text) }

let goldDealer = DealerProfile(
  tier: "Gold", segment: "Retail", region: "North", paymentTerms: "net30")

func product(list: String, cost: String = "0", category: String = "Tools", sku: String = "SKU-1")
  -> ProductInfo
{
  ProductInfo(
    sku: sku, category: category, brand: "Acme", listPrice: money(list), cost: money(cost))
}

/// E1's cascade: Gold tier 20 %, category promo 10 %, order ≥ 50 units 5 %.
func e1Steps() -> [CascadeStep] {
  [
    CascadeStep(
      name: "Gold tier", adjustment: .percent(rate("0.20")),
      condition: StepCondition(tiers: ["Gold"])),
    CascadeStep(
      name: "Tools promo", adjustment: .percent(rate("0.10")),
      condition: StepCondition(categories: ["Tools"])),
    CascadeStep(
      name: "Order of 50+", adjustment: .percent(rate("0.05")),
      condition: StepCondition(minimumQuantity: 50)),
  ]
}

@Suite("On-invoice cascade (E1–E3)")
struct CascadeTests {
  @Test("E1: 10,000.00 → 8,000.00 → 7,200.00 → 6,840.00; line 410,400.00; 31.60 %")
  func e1() throws {
    let engine = try PriceEngine(Cascade(steps: e1Steps()))
    let quote = try engine.quote(
      dealer: goldDealer, product: product(list: "10000.00"), quantity: 60, on: day("2026-07-01"))
    #expect(quote.netUnit == money("6840.00"))
    #expect(quote.lineTotal == money("410400.00"))
    #expect(quote.lineTotal.grouped == "410,400.00")
    #expect(quote.effectiveDiscount.percentText() == "31.60")
    #expect(quote.steps.map(\.priceAfter) == [rate("8000"), rate("7200"), rate("6840")])
    #expect(quote.steps.map(\.label) == ["Gold tier", "Tools promo", "Order of 50+"])
    #expect(quote.guardrail == .none)
  }

  @Test("E1 below 50 units: the quantity step does not apply")
  func e1SmallOrder() throws {
    let engine = try PriceEngine(Cascade(steps: e1Steps()))
    let quote = try engine.quote(
      dealer: goldDealer, product: product(list: "10000.00"), quantity: 49, on: day("2026-07-01"))
    #expect(quote.netUnit == money("7200.00"))
    #expect(quote.steps.count == 2)
  }

  func e2(_ point: PriceRounding.Point, _ mode: RoundingMode) throws -> Quote {
    let steps = [
      CascadeStep(name: "Base", adjustment: .percent(rate("0.15"))),
      CascadeStep(name: "Promo", adjustment: .percent(rate("0.07"))),
    ]
    let engine = try PriceEngine(
      Cascade(steps: steps, rounding: PriceRounding(point: point, mode: mode)))
    return try engine.quote(
      dealer: goldDealer, product: product(list: "12.35"), quantity: 1000, on: day("2026-07-01"))
  }

  @Test("E2 per_unit: exact 9.762675 → unit 9.76, line 9,760.00 (both roundings)")
  func e2PerUnit() throws {
    for mode in RoundingMode.allCases {
      let quote = try e2(.perUnit, mode)
      #expect(quote.exactUnit == rate("9.762675"))
      #expect(quote.netUnit == money("9.76"))
      #expect(quote.lineTotal == money("9760.00"))
    }
  }

  @Test("E2 per_line: 9,762.675 → 9,762.68 half-up, 9,762.68 half-even")
  func e2PerLine() throws {
    #expect(try e2(.perLine, .halfUp).lineTotal == money("9762.68"))
    // 9,762.675 is a tie: half-even keeps the even cent 8.
    #expect(try e2(.perLine, .halfEven).lineTotal == money("9762.68"))
  }

  @Test("E2 per_step: 10.4975 → 10.50, 9.765 → 9.77 half-up (line 9,770.00) or 9.76 half-even")
  func e2PerStep() throws {
    let halfUp = try e2(.perStep, .halfUp)
    #expect(halfUp.steps.map(\.priceAfter) == [rate("10.50"), rate("9.77")])
    #expect(halfUp.netUnit == money("9.77"))
    #expect(halfUp.lineTotal == money("9770.00"))
    let halfEven = try e2(.perStep, .halfEven)
    #expect(halfEven.steps.map(\.priceAfter) == [rate("10.50"), rate("9.76")])
    #expect(halfEven.netUnit == money("9.76"))
    #expect(halfEven.lineTotal == money("9760.00"))
  }

  @Test("E3: floors 7,000.00 and 7,245.00; net 7,245.00, 27.55 %, margin floor bound")
  func e3() throws {
    let engine = try PriceEngine(
      Cascade(
        steps: e1Steps(),
        guardrails: Guardrails(maximumTotalDiscount: rate("0.30"), minimumMargin: rate("0.05"))))
    let quote = try engine.quote(
      dealer: goldDealer, product: product(list: "10000.00", cost: "6900.00"), quantity: 60,
      on: day("2026-07-01"))
    #expect(quote.steps.last?.priceAfter == rate("6840"))
    #expect(quote.discountFloor == money("7000.00"))
    #expect(quote.marginFloor == money("7245.00"))
    #expect(quote.netUnit == money("7245.00"))
    #expect(quote.lineTotal == money("434700.00"))
    #expect(quote.effectiveDiscount.percentText() == "27.55")
    #expect(quote.guardrail == .minimumMargin)
  }

  @Test("E3 variant: a low cost leaves the maximum-discount floor binding")
  func e3DiscountFloor() throws {
    let engine = try PriceEngine(
      Cascade(
        steps: e1Steps(),
        guardrails: Guardrails(maximumTotalDiscount: rate("0.30"), minimumMargin: rate("0.05"))))
    let quote = try engine.quote(
      dealer: goldDealer, product: product(list: "10000.00", cost: "5000.00"), quantity: 60,
      on: day("2026-07-01"))
    #expect(quote.netUnit == money("7000.00"))
    #expect(quote.guardrail == .maximumTotalDiscount)
  }
}

@Suite("Groups, surcharges, amounts and windows")
struct CascadeGroupTests {
  let tenAndFive = [
    CascadeStep(name: "Seasonal", adjustment: .percent(rate("0.10")), group: "promo"),
    CascadeStep(name: "Loyalty", adjustment: .percent(rate("0.05")), group: "promo"),
  ]

  func quote(
    _ cascade: Cascade, list: String = "100.00", quantity: Int = 1, on date: String = "2026-07-01"
  )
    throws -> Quote
  {
    try PriceEngine(cascade).quote(
      dealer: goldDealer, product: product(list: list), quantity: quantity, on: day(date))
  }

  @Test("additive 10 % + 5 % takes 15 % off once")
  func additive() throws {
    let result = try quote(
      Cascade(steps: tenAndFive, groups: [StepGroup(name: "promo", mode: .additive)]))
    #expect(result.netUnit == money("85.00"))
    #expect(result.steps.count == 1)
    #expect(result.steps[0].label == "promo: Seasonal + Loyalty")
    #expect(result.steps[0].applied == .percent(rate("0.15")))
  }

  @Test("multiplicative 10 % then 5 % takes 14.5 % off")
  func multiplicative() throws {
    let steps = tenAndFive.map { CascadeStep(name: $0.name, adjustment: $0.adjustment) }
    let result = try quote(Cascade(steps: steps))
    #expect(result.netUnit == money("85.50"))
    #expect(result.effectiveDiscount.percentText() == "14.50")
  }

  @Test("exclusive: only the best step applies, ties go to the earlier step")
  func exclusive() throws {
    let steps = [
      CascadeStep(name: "Five", adjustment: .percent(rate("0.05")), group: "best"),
      CascadeStep(name: "Twelve off", adjustment: .amountPerUnit(money("12.00")), group: "best"),
      CascadeStep(name: "Ten", adjustment: .percent(rate("0.10")), group: "best"),
    ]
    let groups = [StepGroup(name: "best", mode: .exclusive)]
    let result = try quote(Cascade(steps: steps, groups: groups))
    #expect(result.netUnit == money("88.00"))
    #expect(result.steps.map(\.label) == ["best: Twelve off"])
    let tie = [
      CascadeStep(name: "Ten", adjustment: .percent(rate("0.10")), group: "best"),
      CascadeStep(name: "Ten off", adjustment: .amountPerUnit(money("10.00")), group: "best"),
    ]
    #expect(try quote(Cascade(steps: tie, groups: groups)).steps.map(\.label) == ["best: Ten"])
  }

  @Test("a negative percent is a surcharge; a negative amount per unit too")
  func surcharges() throws {
    let steps = [
      CascadeStep(name: "Tier", adjustment: .percent(rate("0.20"))),
      CascadeStep(name: "Small-order surcharge", adjustment: .percent(rate("-0.03"))),
      CascadeStep(name: "Freight", adjustment: .amountPerUnit(money("-1.50"))),
    ]
    let result = try quote(Cascade(steps: steps))
    #expect(result.steps.map(\.priceAfter) == [rate("80"), rate("82.4"), rate("83.9")])
    #expect(result.netUnit == money("83.90"))
  }

  @Test("an amount per unit comes off the price left by the previous step")
  func amountPerUnit() throws {
    let steps = [
      CascadeStep(name: "Tier", adjustment: .percent(rate("0.20"))),
      CascadeStep(name: "Rebate", adjustment: .amountPerUnit(money("2.50"))),
    ]
    let result = try quote(Cascade(steps: steps), quantity: 4)
    #expect(result.netUnit == money("77.50"))
    #expect(result.lineTotal == money("310.00"))
    #expect(result.steps[1].applied == .amountPerUnit(money("2.50")))
  }

  @Test("amounts never take the price below zero")
  func zeroFloor() throws {
    let steps = [CascadeStep(name: "Too much", adjustment: .amountPerUnit(money("150.00")))]
    let result = try quote(Cascade(steps: steps))
    #expect(result.netUnit == .zero)
    #expect(result.guardrail == .zeroPrice)
  }

  @Test("a date window is inclusive at both ends")
  func dateWindow() throws {
    let steps = [
      CascadeStep(
        name: "Summer", adjustment: .percent(rate("0.10")),
        condition: StepCondition(from: day("2026-07-01"), until: day("2026-08-31")))
    ]
    let cascade = Cascade(steps: steps)
    #expect(try quote(cascade, on: "2026-06-30").netUnit == money("100.00"))
    #expect(try quote(cascade, on: "2026-07-01").netUnit == money("90.00"))
    #expect(try quote(cascade, on: "2026-08-31").netUnit == money("90.00"))
    #expect(try quote(cascade, on: "2026-09-01").netUnit == money("100.00"))
  }

  @Test("conditions on segment, region, brand, SKU list and payment terms")
  func conditions() throws {
    let steps = [
      CascadeStep(
        name: "North retail prepaid", adjustment: .percent(rate("0.02")),
        condition: StepCondition(
          segments: ["Retail"], regions: ["North"], paymentTerms: ["prepayment"])),
      CascadeStep(
        name: "Acme SKUs", adjustment: .percent(rate("0.10")),
        condition: StepCondition(brands: ["Acme"], skus: ["SKU-9", "SKU-1", "SKU-5"])),
    ]
    let engine = try PriceEngine(Cascade(steps: steps))
    var dealer = goldDealer
    let onSKU1 = try engine.quote(
      dealer: dealer, product: product(list: "100.00"), quantity: 1, on: day("2026-07-01"))
    #expect(onSKU1.netUnit == money("90.00"))
    dealer.paymentTerms = "prepayment"
    let prepaid = try engine.quote(
      dealer: dealer, product: product(list: "100.00", sku: "SKU-2"), quantity: 1,
      on: day("2026-07-01"))
    #expect(prepaid.netUnit == money("98.00"))
  }

  @Test("the dealer's extra discount applies where the cascade places it")
  func dealerExtra() throws {
    let steps = e1Steps() + [CascadeStep(name: "Extra (terms)", adjustment: .dealerExtra)]
    var dealer = goldDealer
    dealer.extraDiscount = rate("0.02")
    let result = try PriceEngine(Cascade(steps: steps)).quote(
      dealer: dealer, product: product(list: "10000.00"), quantity: 60, on: day("2026-07-01"))
    #expect(result.netUnit == money("6703.20"))
  }

  @Test("invalid cascades are refused with every issue")
  func invalid() throws {
    let steps = [
      CascadeStep(name: "A", adjustment: .percent(rate("0.10")), group: "g"),
      CascadeStep(name: "B", adjustment: .percent(rate("0.10"))),
      CascadeStep(name: "C", adjustment: .amountPerUnit(money("1.00")), group: "g"),
      CascadeStep(name: "D", adjustment: .percent(rate("1.5")), group: "missing"),
    ]
    let issues = Cascade(steps: steps, groups: [StepGroup(name: "g", mode: .additive)]).issues
    #expect(issues.map(\.step) == [3, 2, 2, 3])
    #expect(throws: PricingError.self) { try PriceEngine(Cascade(steps: steps)) }
  }

  @Test("a quantity of zero is an error")
  func zeroQuantity() throws {
    #expect(throws: PricingError.invalidQuantity(0)) {
      try quote(Cascade(steps: []), quantity: 0)
    }
  }
}

@Suite("Fixed-point arithmetic")
struct FixedPointTests {
  @Test("the fast 64-bit division rounds exactly like roundedQuotient, over many random values")
  func fastDivisionMatchesReference() {
    var generator = SystemRandomNumberGenerator()
    let divisors: [UInt64] = [1_000_000, 10_000_000_000_000_000, 7, 2]
    for _ in 0..<20_000 {
      let value =
        Int128(Int64.random(in: .min ... .max, using: &generator))
        * Int128(Int64.random(in: -1_000_000...1_000_000, using: &generator))
      for divisor in divisors {
        for mode in RoundingMode.allCases {
          #expect(
            FixedPoint.divided(value, by: divisor, mode)
              == roundedQuotient(value, Int128(divisor), mode))
        }
      }
    }
    // Exact ties, both signs.
    #expect(FixedPoint.divided(25, by: 10, .halfEven) == 2)
    #expect(FixedPoint.divided(-25, by: 10, .halfEven) == -2)
    #expect(FixedPoint.divided(-25, by: 10, .halfUp) == -3)
  }
}
