import RebateCore
import Testing

/// The core error codes of docs/errors.md, produced by real refusals of the core types.
@Suite struct CoreErrorCodeTests {
  func code(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as CoreError {
      return error.code
    } catch {
      return "not a CoreError: \(error)"
    }
  }

  @Test func eachCoreCodeHasItsCause() {
    #expect(code { _ = try Money(minor: .max).adding(Money(minor: 1)) } == "E-CORE-OVERFLOW")
    #expect(code { _ = try Money.parse("12abc") } == "E-CORE-NUMBER")
    #expect(code { _ = try Money.parse("1,5") } == "E-CORE-NUMBER")
    #expect(code { _ = try Day.parse("2026-02-29") } == "E-CORE-DATE")
    #expect(code { _ = try Period.parse("2026-Q5") } == "E-CORE-PERIOD")
    #expect(code { _ = try Money.parse("12.50") } == nil)
  }
}
