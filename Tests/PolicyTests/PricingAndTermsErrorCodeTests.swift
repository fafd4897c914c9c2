import Policy
import Pricing
import RebateCore
import Testing

/// The pricing and terms error codes of docs/errors.md, each produced by a real refusal and
/// compared by code.
@Suite struct PricingAndTermsErrorCodeTests {
  func code(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as PricingError {
      return error.code
    } catch let error as TermsError {
      return error.code
    } catch {
      return "unexpected: \(error)"
    }
  }

  func quote(list: String = "100.00", quantity: Int = 1, extra: String = "0") throws {
    var dealer = goldDealer
    dealer.extraDiscount = rate(extra)
    let steps = e1Steps() + [CascadeStep(name: "Extra (terms)", adjustment: .dealerExtra)]
    _ = try PriceEngine(Cascade(steps: steps)).quote(
      dealer: dealer, product: product(list: list), quantity: quantity, on: day("2026-07-01"))
  }

  @Test func pricingRefusals() {
    let contradictory = [
      CascadeStep(name: "A", adjustment: .percent(rate("1.5")), group: "missing")
    ]
    #expect(code { _ = try PriceEngine(Cascade(steps: contradictory)) } == "E-PRICING-CASCADE")
    #expect(code { try quote(quantity: 0) } == "E-PRICING-QUANTITY")
    #expect(code { try quote(extra: "1.5") } == "E-PRICING-EXTRA")
    // 1,000,000.00 × 10^14 units is 10^22 minor units: far past 64 bits.
    #expect(
      code { try quote(list: "1000000.00", quantity: 100_000_000_000_000) } == "E-PRICING-OVERFLOW")
  }

  @Test func termsRefusals() throws {
    let policy = try PolicyFiles.example("standard-2026.toml")
    func issue(extra: String, from date: String) throws {
      _ = try TermsDesk.issue(
        dealer: "D-001", policy: policy, tier: "Gold", extraDiscount: rate(extra),
        effectiveFrom: day(date), issuedBy: "anna", history: [])
    }
    #expect(code { try issue(extra: "-0.01", from: "2026-07-01") } == "E-TERMS-EXTRA")
    #expect(code { try issue(extra: "0.01", from: "2000-01-01") } == "E-TERMS-DATE")
  }
}
