import Mechanics
import RebateCore
import Testing

@Suite struct CreditNoteAllocationTests {
  let q3 = period("2026-Q3")

  func bonus(_ amount: String, dealer: String = "D-100") -> ResultLine {
    ResultLine(
      dealer: dealer, period: q3, mechanic: "volume_bonus", amount: money(amount),
      explanation: Explanation(rule: "volume bonus", inputs: [], formula: amount, sources: []))
  }

  @Test func e9HundredOverThreeEqualLines() throws {
    let invoices = [
      invoice(
        "INV-1", on: "2026-07-01", lines: [line("50.00", sku: "A"), line("50.00", sku: "B")]),
      invoice("INV-2", on: "2026-07-02", lines: [line("50.00", sku: "C")]),
    ]
    let parts = try allocateToInvoiceLines(bonus("100.00"), invoices: invoices)
    #expect(parts.map(\.amount) == [money("33.34"), money("33.33"), money("33.33")])
    #expect(parts.map(\.sku) == ["A", "B", "C"])
    #expect(parts.map(\.lineNumber) == [1, 2, 1])
  }

  @Test func restrictedToTheGroupAndThePeriodOfTheLine() throws {
    let invoices = [
      invoice(
        "INV-1", on: "2026-07-01",
        lines: [line("300.00", sku: "A", category: "pumps"), line("100.00", sku: "B")]),
      invoice("INV-0", on: "2026-06-30", lines: [line("100.00", sku: "Z", category: "pumps")]),
      invoice(
        "INV-X", dealer: "D-200", on: "2026-07-03",
        lines: [line("100.00", sku: "Y", category: "pumps")]),
    ]
    let parts = try allocateToInvoiceLines(
      bonus("-10.00"), invoices: invoices, productGroup: ProductGroup(categories: ["pumps"]))
    #expect(parts.map(\.invoiceNumber) == ["INV-1"])
    #expect(parts.map(\.amount) == [money("-10.00")])
    #expect(throws: MechanicsError.emptyBasis("volume_bonus of D-300 in 2026-Q3")) {
      try allocateToInvoiceLines(bonus("1.00", dealer: "D-300"), invoices: invoices)
    }
  }

  @Test func propertyPartsAlwaysSumToTheWhole() throws {
    var random = SplitMix(state: 7)
    for _ in 0..<3000 {
      let lines = (0..<random.int(1...12)).map { index in
        line("\(random.int(0...50_000)).\(random.int(10...99))", sku: "S\(index)")
      }
      let total = "\(random.int(0...9_999)).\(random.int(10...99))"
      let parts = try allocateToInvoiceLines(
        bonus(total), invoices: [invoice("INV", on: "2026-08-01", lines: lines)])
      #expect(try Money.sum(parts.map(\.amount)) == money(total))
      #expect(parts.allSatisfy { $0.amount.minor >= 0 })
    }
  }
}
