import RebateCore
import Testing

@Suite struct AllocationTests {
  @Test func e9HundredOverThreeEqualBases() throws {
    let parts = try allocate(
      Money(minor: 100_00), overBases: [Money(minor: 5_00), Money(minor: 5_00), Money(minor: 5_00)])
    #expect(parts.map(\.description) == ["33.34", "33.33", "33.33"])
  }

  @Test func tiesGoToTheEarlierLine() throws {
    let parts = try allocate(Money(minor: 2), overWeights: [1, 1, 1, 1])
    #expect(parts.map(\.minor) == [1, 1, 0, 0])
  }

  @Test func largestRemainderWinsOverPosition() throws {
    // 10 over 1:2:7 → exact 1, 2, 7; 11 over 1:1:3 → 2.2, 2.2, 6.6 → 2, 2, 7.
    #expect(try allocate(Money(minor: 10), overWeights: [1, 2, 7]).map(\.minor) == [1, 2, 7])
    #expect(try allocate(Money(minor: 11), overWeights: [1, 1, 3]).map(\.minor) == [2, 2, 7])
  }

  @Test func negativeTotalsKeepTheirSign() throws {
    let parts = try allocate(Money(minor: -100_00), overWeights: [1, 1, 1])
    #expect(parts.map(\.minor) == [-33_34, -33_33, -33_33])
  }

  @Test func zeroBasisIsAnError() {
    #expect(throws: CoreError.self) { try allocate(Money(minor: 1), overWeights: [0, 0]) }
  }

  @Test func extremeAmountsStayExact() throws {
    // Products of Int64 amounts and weights are taken in Int128, so nothing wraps at the edges.
    let parts = try allocate(Money(minor: Int64.max), overWeights: [Int64.max, Int64.max, 1])
    // Exact shares are k + 0.25, k + 0.25 and 0.4999… (k = 2^62 − 1): the one leftover unit goes
    // to the largest remainder, the third part.
    let k = Int64.max / 2
    #expect(parts.map(\.minor) == [k, k, 1])
  }

  /// Thousands of random allocations: the parts always sum to the whole, each part is within one
  /// minor unit of its exact share, and parts never change sign.
  @Test func partsAlwaysSumToTheWhole() throws {
    var random = SplitMix64(seed: 9)
    for _ in 0..<5_000 {
      let count = Int(random.next() % 40) + 1
      let weights = (0..<count).map { _ in Int64(random.next() % 1_000_000_00) }
      guard weights.contains(where: { $0 > 0 }) else { continue }
      let total = Int64(random.next() % 10_000_000_00) - 5_000_000_00
      let parts = try allocate(Money(minor: total), overWeights: weights)
      #expect(parts.reduce(0) { $0 + $1.minor } == total)
      let weightSum = weights.reduce(Int128(0)) { $0 + Int128($1) }
      for (part, weight) in zip(parts, weights) {
        let exactTimesSum = Int128(total) * Int128(weight)
        let difference = (Int128(part.minor) * weightSum - exactTimesSum).magnitude
        #expect(difference < weightSum.magnitude)
        #expect(part.minor == 0 || (part.minor < 0) == (total < 0))
      }
    }
  }
}

/// A small deterministic generator so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
