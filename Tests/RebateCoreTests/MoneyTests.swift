import RebateCore
import Testing

@Suite struct MoneyTests {
  @Test func parsesStrictly() throws {
    #expect(try Money.parse("1234.5").minor == 123_450)
    #expect(try Money.parse("-0.07").minor == -7)
    #expect(try Money.parse("12,35", decimalSeparator: ",").minor == 1235)
    for bad in ["12abc", "1,5", "", "-", "1.234", "1..2", " 1", "1e3", "١٢"] {
      #expect(throws: CoreError.self, "\(bad)") { try Money.parse(bad) }
    }
  }

  @Test func formatsForPeopleAndMachines() {
    #expect(Money(minor: 410_400_000).grouped == "4,104,000.00")
    #expect(Money(minor: -600_000).grouped == "-6,000.00")
    #expect(Money(minor: 5).description == "0.05")
    #expect(Money(minor: -5).description == "-0.05")
    #expect(Money(minor: 99_999).grouped == "999.99")
  }

  /// Grouping only inserts a comma every three integer digits: removing them gives the plain form.
  @Test func groupingMatchesThePlainFormEverywhere() {
    var random = SplitMix64(seed: 7)
    let edges: [Int64] = [0, 1, -1, 99, 100, 99_999, 100_000, -100_000, .max, .min]
    let samples =
      edges + (0..<5_000).map { _ in Int64(bitPattern: random.next()) >> (random.next() % 60) }
    for minor in samples {
      let money = Money(minor: minor)
      let grouped = money.grouped
      #expect(String(grouped.filter { $0 != "," }) == money.description, "\(minor)")
      let integer = grouped.split(separator: ".")[0].drop { $0 == "-" }
      for (offset, character) in integer.reversed().enumerated() {
        #expect((character == ",") == (offset % 4 == 3), "\(grouped)")
      }
    }
    #expect(Money(minor: .min).grouped == "-92,233,720,368,547,758.08")
  }

  @Test func roundsHalfUpAwayFromZeroAndHalfEven() throws {
    let cases: [(String, RoundingMode, Int64)] = [
      ("9.765", .halfUp, 977), ("9.765", .halfEven, 976), ("9.775", .halfEven, 978),
      ("-9.765", .halfUp, -977), ("-9.765", .halfEven, -976), ("10.4975", .halfUp, 1050),
      ("9762.675", .halfUp, 976_268), ("0.004999", .halfUp, 0),
    ]
    for (text, mode, minor) in cases {
      #expect(try Money(rounding: ExactDecimal.parse(text), mode).minor == minor, "\(text)")
    }
  }

  @Test func multiplicationRoundsOnce() throws {
    // 4,200,000.00 × 0.5 % = 21,000.00; 333.33 × 1/3-ish rate rounds once at the end.
    #expect(
      try Money(minor: 420_000_000).multiplied(by: .parse("0.005"), .halfUp).minor == 2_100_000)
    #expect(try Money(minor: 33_333).multiplied(by: .parse("0.015"), .halfUp).minor == 500)
  }

  @Test func overflowIsAnErrorNotAWrap() {
    #expect(throws: CoreError.self) { try Money(minor: .max).adding(Money(minor: 1)) }
    #expect(throws: CoreError.self) { try Money(minor: .min).subtracting(Money(minor: 1)) }
    #expect(throws: CoreError.self) {
      try Money(minor: .max).multiplied(by: ExactDecimal(2), .halfUp)
    }
    #expect(throws: CoreError.self) { try Money.parse("999999999999999999999") }
  }

  /// Random amounts and rates: rounding the product never drifts more than half a minor unit from
  /// the exact value, half-up and half-even differ only on exact halves, and sums are exact.
  @Test func roundingNeverDrifts() throws {
    var random = SplitMix64(seed: 42)
    for _ in 0..<10_000 {
      let amount = Money(minor: Int64(random.next() % 2_000_000_000) - 1_000_000_000)
      let rate = ExactDecimal(units: Int128(random.next() % 2_000_000), scale: 6)
      let exact = try amount.exact.multiplied(by: rate)
      let up = try amount.multiplied(by: rate, .halfUp)
      let even = try amount.multiplied(by: rate, .halfEven)
      let drift = try up.exact.subtracting(exact)
      #expect(drift.magnitudeAtMost(ExactDecimal(units: 5, scale: 3)))
      if up != even {
        #expect(try exact.rounded(scale: 3, .halfUp).units.magnitude % 10 == 5)
      }
    }
  }
}

extension ExactDecimal {
  fileprivate func magnitudeAtMost(_ limit: ExactDecimal) -> Bool {
    (isNegative ? negated : self) <= limit
  }
}
