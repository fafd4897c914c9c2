import RebateCore
import Testing

@Suite struct ExactDecimalTests {
  @Test func cascadeProductIsExact() throws {
    // E2's exact unit price: 12.35 × 0.85 × 0.93 = 9.762675.
    let unit = try ExactDecimal.parse("12.35").multiplied(by: .parse("0.85"))
      .multiplied(by: .parse("0.93"))
    #expect(unit.normalized.description == "9.762675")
  }

  @Test func percentagesAndDivision() throws {
    #expect(try ExactDecimal.parse("0.316").percentText() == "31.60")
    let ratio = try ExactDecimal(112_700).divided(by: ExactDecimal(4_200_000), scale: 6, .halfUp)
    #expect(ratio.percentText() == "2.68")
    #expect(
      try ExactDecimal(1).divided(by: ExactDecimal(3), scale: 4, .halfUp).description == "0.3333")
    #expect(throws: CoreError.self) { try ExactDecimal(1).divided(by: .zero, scale: 2, .halfUp) }
  }

  @Test func equalityIgnoresTrailingZeros() throws {
    #expect(try ExactDecimal.parse("0.20") == ExactDecimal.parse("0.2"))
    #expect(Set([try ExactDecimal.parse("0.20"), try ExactDecimal.parse("0.2")]).count == 1)
  }

  @Test func deepProductsStayWithinScale() throws {
    var value = ExactDecimal(10_000)
    for _ in 0..<50 { value = try value.multiplied(by: .parse("0.987654")) }
    #expect(value.scale == ExactDecimal.maxScale)
    #expect(value > ExactDecimal(5_373) && value < ExactDecimal(5_374))
  }
}

@Suite struct ExactDecimalTextTests {
  @Test(arguments: [
    (Int128(0), 0, "0"), (5, 2, "0.05"), (-7, 1, "-0.7"), (12345, 2, "123.45"),
    (-12345, 0, "-12345"), (100, 2, "1.00"), (-1, 6, "-0.000001"),
    (Int128(UInt64.max) + 1, 2, "184467440737095516.16"),
    (
      -170_141_183_460_469_231_731_687_303_715_884_105_727, 3,
      "-170141183460469231731687303715884105.727"
    ),
  ])
  func printsSignDigitsAndScale(units: Int128, scale: Int, text: String) {
    #expect(ExactDecimal(units: units, scale: scale).description == text)
  }
}

@Suite struct SHA256Tests {
  @Test func knownVectors() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}
