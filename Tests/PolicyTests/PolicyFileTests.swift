import Mechanics
import Policy
import PolicyFormat
import Pricing
import RebateCore
import SellOut
import Testing

@Suite("Policy files")
struct PolicyFileTests {
  @Test("every example policy in policies/ passes check")
  func examplesPass() throws {
    let urls = PolicyFiles.examplePolicies
    #expect(urls.count >= 2)
    for url in urls {
      let result = PolicyDecoder.decode(try PolicyFiles.text(url), file: url.lastPathComponent)
      if case .failure(let problems) = result { Issue.record("\(problems)") }
    }
  }

  @Test("standard-2026 decodes every section into the engine's types")
  func standardDecodes() throws {
    let policy = try PolicyFiles.example("standard-2026.toml")
    #expect(policy.reference == "standard-2026 v1")
    #expect(policy.periodGrain == .quarter)
    #expect(policy.tiers == ["Gold", "Silver", "Bronze"])
    #expect(policy.cascade.guardrails.maximumTotalDiscount == rate("0.30"))
    #expect(policy.extraDiscount.approvalAbove == rate("0.02"))
    #expect(policy.budgetCap == rate("0.03"))
    #expect(policy.offInvoice.earlyPayment?.steps.map(\.rate) == [rate("0.02"), rate("0.01")])
    #expect(
      policy.offInvoice.volumeBonus?.scale
        == .retroactive([
          VolumeTier(fromAmount: money("1000000.00"), rate: rate("0.01")),
          VolumeTier(fromAmount: money("3000000.00"), rate: rate("0.02")),
          VolumeTier(fromAmount: money("5000000.00"), rate: rate("0.03")),
        ]))
    #expect(policy.offInvoice.reportingBonus?.payout == .proRata)
    #expect(policy.offInvoice.reportingBonus?.rate == rate("0.005"))
    #expect(policy.offInvoice.priceProtection?.windowDays == 60)
    #expect(policy.offInvoice.paymentDiscipline?.rules.map(\.grade) == ["A", "B"])
  }

  @Test("E1 through the standard policy file: cascade 6,840.00, the 30 % guardrail sets 7,000.00")
  func e1FromFile() throws {
    let policy = try PolicyFiles.example("standard-2026.toml")
    let engine = try PriceEngine(policy.cascade)
    let quote = try engine.quote(
      dealer: goldDealer,
      product: product(list: "10000.00", cost: "5000.00", category: "Power tools"),
      quantity: 60, on: day("2026-07-15"))
    #expect(quote.steps.map(\.priceAfter) == [rate("8000"), rate("7200"), rate("6840")])
    #expect(quote.netUnit == money("7000.00"))
    #expect(quote.lineTotal == money("420000.00"))
    #expect(quote.effectiveDiscount.percentText() == "30.00")
    #expect(quote.guardrail == .maximumTotalDiscount)
  }

  @Test(
    "the projects policy: exclusive promotions, additive loyalty, surcharges, per-step half-even")
  func projectsPolicy() throws {
    let policy = try PolicyFiles.example("project-groups-2026.toml")
    let engine = try PriceEngine(policy.cascade)
    let chain = DealerProfile(
      tier: "Chain", segment: "Retail chain", region: "North", paymentTerms: "net30")
    let drill = ProductInfo(
      sku: "PT-1001", category: "Power tools", brand: "Acme", listPrice: money("200.00"),
      cost: money("100.00"))
    // 200 × 0.88 = 176.00; clearance 25.00 beats 10 % (158.40) → 151.00; loyalty 15 % → 128.35;
    // small order surcharge 3 % → 132.2005 → 132.20 (half-even at every step).
    let quote = try engine.quote(dealer: chain, product: drill, quantity: 5, on: day("2026-05-03"))
    #expect(
      quote.steps.map(\.label) == [
        "Chain base", "promotions: Clearance SKUs",
        "loyalty: Loyalty: 3 years + Loyalty: marketing co-operation",
        "Small order surcharge",
      ])
    #expect(
      quote.steps.map(\.priceAfter) == [rate("176"), rate("151"), rate("128.35"), rate("132.2")])
    #expect(quote.netUnit == money("132.20"))
    #expect(quote.guardrail == .none)
  }

  @Test("a typo in a key is an error naming file, line:column, path and the likely key")
  func typo() throws {
    #expect(
      try PolicyFiles.problems(ofFixture: "typo-in-step.toml") == [
        "typo-in-step.toml:15:1: E-POLICY-RULE: cascade.step[2]: a step needs exactly one of percent, amount_per_unit, terms_extra (found none)",
        "typo-in-step.toml:17:1: E-POLICY-UNKNOWN-KEY: cascade.step[2].pecent: unknown key 'pecent'; did you mean 'percent'?",
      ])
  }

  @Test("every wrong value is reported in one run")
  func badValues() throws {
    #expect(
      try PolicyFiles.problems(ofFixture: "bad-values.toml") == [
        "bad-values.toml:4:11: E-POLICY-VALUE: policy.version: 0 is outside 1...1000000",
        "bad-values.toml:6:18: E-POLICY-SYNTAX: policy.effective_from: '2026-02-30' is not a date: day out of range for the month",
        "bad-values.toml:7:10: E-POLICY-VALUE: policy.period: 'week' is not one of \"month\", \"quarter\", \"year\"",
        "bad-values.toml:11:9: E-POLICY-VALUE: rounding.point: 'per_item' is not one of \"per_unit\", \"per_line\", \"per_step\"",
        "bad-values.toml:15:18: E-POLICY-RULE: extra_discount.approval_above: 3% is above the maximum 2%",
        "bad-values.toml:19:11: E-POLICY-TYPE: cascade.step[1].percent: expected a percentage string like \"20%\", found an integer",
        "bad-values.toml:20:8: E-POLICY-REFERENCE: cascade.step[1].tier: tier 'Glod' is not one of the policy's tiers (Gold, Silver)",
        "bad-values.toml:25:9: E-POLICY-REFERENCE: cascade.step[2].group: group 'promos' is not declared",
      ])
  }

  @Test("syntax errors on several lines are all reported; parsing goes on")
  func syntaxErrors() throws {
    #expect(
      try PolicyFiles.problems(ofFixture: "syntax-errors.toml") == [
        "syntax-errors.toml:3:6: E-POLICY-SYNTAX: policy.id: unterminated string",
        "syntax-errors.toml:5:6: E-POLICY-SYNTAX: policy.name: expected '=' after the key 'name'",
        "syntax-errors.toml:7:1: E-POLICY-DUPLICATE: policy.name: duplicate key 'name' (first written at 6:1)",
        "syntax-errors.toml:11:1: E-POLICY-UNKNOWN-KEY: policy.ratio: unknown key 'ratio'; expected one of: id, version, name, effective_from, period, tiers",
        "syntax-errors.toml:11:9: E-POLICY-SYNTAX: policy.ratio: '1.5e3' is not a number; exponents are not supported",
        "syntax-errors.toml:15:16: E-POLICY-SYNTAX: cascade.step[1].percent: unexpected text after the value; one key = value per line",
      ])
  }

  @Test("group rules and rate ranges are checked with the engine's own rules")
  func groupRules() throws {
    #expect(
      try PolicyFiles.problems(ofFixture: "group-rules.toml") == [
        "group-rules.toml:26:9: E-POLICY-RULE: cascade.step[3].group: an additive group adds percentages only",
        "group-rules.toml:26:9: E-POLICY-RULE: cascade.step[3].group: steps of group 'loyalty' must be written next to each other",
        "group-rules.toml:30:11: E-POLICY-VALUE: cascade.step[4].percent: 120% is outside -100%...100%",
      ])
  }

  @Test("decimals are exact, percentages exact fractions, values keep line and column")
  func formatValues() throws {
    let log = ProblemLog(file: "inline.toml")
    let table = DocumentParser.parse(
      "price = 12.35\nbig = 1_000_000.005\nrates = [\"20%\", # comment\n  \"-2.5%\",\n]\nwhen = 2026-07-01\nt = { a = 1, b = 'x' }\n",
      log: log)
    #expect(log.problems.isEmpty)
    guard case .decimal(let price)? = table["price"]?.kind else { Issue.record("price"); return }
    #expect(price == rate("12.35") && price.scale == 2)
    guard case .decimal(let big)? = table["big"]?.kind else { Issue.record("big"); return }
    #expect(big == rate("1000000.005"))
    #expect(table["when"]?.location == SourceLocation(line: 6, column: 8))
    guard case .array(let rates)? = table["rates"]?.kind, rates.count == 2 else {
      Issue.record("rates")
      return
    }
    #expect(rates[1].location == SourceLocation(line: 4, column: 3))
    #expect(try Percent.parse("-2.5%").get() == rate("-0.025"))
    #expect(try Percent.parse("12.3456%").get() == rate("0.123456"))
    #expect((try? Percent.parse("12.34567%").get()) == nil)
    #expect((try? Percent.parse("20").get()) == nil)
    #expect(Percent.text(rate("0.005")) == "0.5%")
  }
}
