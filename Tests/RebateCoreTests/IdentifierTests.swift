import RebateCore
import Testing

@Suite("Identifier grammar")
struct IdentifierTests {
  @Test func ordinaryCodesPass() throws {
    for code in [
      "D00001", "NO-VLV-0005", "alice.admin", "standard-2026", "ЦБ-000123", "DЁ-7", "п/п#12",
    ] {
      #expect(Identifier.problem(in: code) == nil, "\(code)")
      #expect(try Identifier(code, what: "dealer").text == code)
    }
  }

  @Test func theDecomposedSpellingOfACodeIsRefused() {
    let precomposed = "D\u{0401}-7"
    let decomposed = "D\u{0415}\u{0308}-7"
    // Swift calls them equal; PostgreSQL (bytes) calls them different: only one may pass.
    #expect(precomposed == decomposed)
    #expect(Identifier.isValid(precomposed))
    #expect(Identifier.problem(in: decomposed) == "holds U+0308, which a code may not contain")
  }

  @Test func identifiersCompareAndHashByBytes() throws {
    let a = try Identifier("D1", what: "dealer")
    let b = try Identifier("D2", what: "dealer")
    #expect(a < b)
    #expect(Set([a, b, try Identifier("D1", what: "dealer")]).count == 2)
  }

  @Test func controlBidiSpacesAndLengthAreRefusedWithoutEchoingThem() {
    #expect(Identifier.problem(in: "") == "is empty")
    #expect(Identifier.problem(in: "D 1") == "holds U+0020, which a code may not contain")
    #expect(Identifier.problem(in: "D\u{0}1") == "holds U+0000, which a code may not contain")
    #expect(Identifier.problem(in: "D\u{202E}1") == "holds U+202E, which a code may not contain")
    #expect(
      Identifier.problem(in: "-D1") == "must start with a letter or a digit, not '-' (U+002D)")
    #expect(Identifier.problem(in: "D1'") == "holds ''' (U+0027), which a code may not contain")
    #expect(
      Identifier.problem(in: String(repeating: "A", count: 65)) == "is longer than 64 characters")
    #expect(Identifier.problem(in: String(repeating: "Я", count: 64)) == nil)
    let error = IdentifierError(what: "dealer", text: "D\u{1B}[31m", reason: "x")
    #expect(error.description == "E-ID-INVALID: dealer 'D\\u{1B}[31m' x")
  }

  @Test func everyAllowedScalarIsItsOwnNFCForm() {
    // No two distinct allowed strings are canonically equivalent: for single scalars Swift's
    // Character equality (canonical equivalence) must agree with scalar identity.
    let allowed = (0...0x45F).compactMap(Unicode.Scalar.init).filter {
      Identifier.isValid(String($0)) || "-_./#".unicodeScalars.contains($0)
    }
    for x in allowed {
      for y in allowed where x != y {
        #expect(String(x) != String(y))
      }
    }
    #expect(allowed.count == 62 + 96 + 5)
  }

  @Test func freeTextKeepsPrintableTextButNoControls() {
    #expect(
      Identifier.freeTextProblem(in: "ООО \"Ромашка\" — Кран 1/2\"", maximumLength: 200) == nil)
    #expect(
      Identifier.freeTextProblem(in: "a\u{7}b", maximumLength: 200)
        == "holds the control character U+0007")
    #expect(
      Identifier.freeTextProblem(in: "abc", maximumLength: 2) == "is longer than 2 characters")
  }
}

@Suite("Dictionary with unique keys")
struct UniqueKeysTests {
  struct Twice: Error, Equatable { let key: String }

  @Test func aRepeatedKeyIsAnErrorNamingItNeverATrap() throws {
    let pairs = [("D\u{0401}-7", 1), ("D-8", 2), ("D\u{0415}\u{0308}-7", 3)]
    // Swift String keys: the two spellings are one key, so the third pair is the repeat.
    #expect(throws: Twice(key: "D\u{0415}\u{0308}-7")) {
      try Dictionary(uniqueKeys: pairs) { Twice(key: $0) }
    }
    let unique = try Dictionary(uniqueKeys: pairs.prefix(2).map { $0 }) { Twice(key: $0) }
    #expect(unique == ["D\u{0401}-7": 1, "D-8": 2])
  }
}
