import RebateCore
import Testing

@testable import Economics

private let q3 = try! Period.parse("2026-Q3")

private func money(_ text: String) throws -> Money { try Money.parse(text) }

private func result(_ mechanic: String, _ amount: String) throws -> ResultLine {
  ResultLine(
    dealer: "G1", period: q3, mechanic: mechanic, amount: try money(amount),
    explanation: Explanation(rule: mechanic, inputs: [], formula: "", sources: []))
}

/// E1's line (60 units, list 10,000.00 → net 6,840.00, cost 6,000.00) and a small second line of
/// the same dealer, so each off-invoice result is shared between them (E9).
private func lines() throws -> [WaterfallLine] {
  [
    WaterfallLine(
      dealer: "G1", document: "INV-1", line: 1, sku: "SKU-A", quantity: 60,
      listUnitPrice: try money("10000.00"), netAmount: try money("410400.00"),
      unitCost: try money("6000.00")),
    WaterfallLine(
      dealer: "G1", document: "INV-1", line: 2, sku: "SKU-B", quantity: 10,
      listUnitPrice: try money("1000.00"), netAmount: try money("8000.00"),
      unitCost: try money("500.00")),
  ]
}

@Test func e1LineDownToPocketPriceAndMargin() throws {
  // Early payment 2 % and volume 3 % of 418,400.00; a reporting bonus 100.00 split by largest
  // remainder: 98.088… and 1.912… → 98.09 and 1.91.
  let offInvoice = [
    try result("early_payment", "8368.00"), try result("volume_bonus", "12552.00"),
    try result("reporting_bonus", "100.00"),
  ]
  let rows = try Waterfall.rows(
    lines: try lines(), offInvoice: offInvoice, minimumMargin: try ExactDecimal.parse("0.10")
  ).rows
  let e1 = rows[0]
  #expect(e1.listAmount == (try money("600000.00")))
  #expect(e1.onInvoiceDiscount == (try money("189600.00")))
  #expect(e1.steps == [try money("8208.00"), try money("12410.09"), .zero])
  #expect(e1.pocketAmount == (try money("389781.91")))
  #expect(e1.costAmount == (try money("360000.00")))
  #expect(e1.pocketMargin == (try money("29781.91")))
  #expect(e1.marginOverCost == (try ExactDecimal.parse("0.082728")))
  // Floor 10 % over cost = 396,000.00 > 389,781.91.
  #expect(e1.belowFloor)
  let small = rows[1]
  #expect(small.steps == [try money("160.00"), try money("241.91"), .zero])
  #expect(small.pocketAmount == (try money("7598.09")))
  #expect(small.marginOverCost == (try ExactDecimal.parse("0.519618")))
  #expect(!small.belowFloor)
  // Each step's parts sum exactly to the dealer's result.
  #expect(try Money.sum(rows.map { $0.steps[1] }) == (try money("12652.00")))
}

@Test func noFloorFlagsNothingAndDealerListFollowsFlags() throws {
  let offInvoice = [try result("volume_bonus", "12552.00")]
  let open = try Waterfall.rows(lines: try lines(), offInvoice: offInvoice, minimumMargin: nil).rows
  #expect(open.allSatisfy { !$0.belowFloor })
  let tight = try Waterfall.rows(
    lines: try lines(), offInvoice: offInvoice, minimumMargin: try ExactDecimal.parse("0.60")
  ).rows
  #expect(tight.map(\.belowFloor) == [true, true])
  let dealers = try Waterfall.dealersBelowFloor(tight)
  #expect(dealers.count == 1)
  #expect(dealers.first?.dealer == "G1")
  #expect(dealers.first?.lines == 2)
  // (410,400 − 12,312 − 360,000) + (8,000 − 240 − 5,000)
  #expect(dealers.first?.margin == (try money("40848.00")))
}

@Test func resultOfDealerWithoutLinesIsReportedUnallocated() throws {
  let stray = ResultLine(
    dealer: "G9", period: q3, mechanic: "price_protection", amount: try money("1.00"),
    explanation: Explanation(rule: "x", inputs: [], formula: "", sources: []))
  let waterfall = try Waterfall.rows(
    lines: try lines(), offInvoice: [stray, try result("volume_bonus", "10.00")], minimumMargin: nil
  )
  #expect(waterfall.unallocated == [stray])
  #expect(waterfall.rows.map { $0.steps[1] } == [try money("9.81"), try money("0.19")])
  let bad = WaterfallLine(
    dealer: "G1", document: "INV-2", line: 1, sku: "SKU-A", quantity: 0, listUnitPrice: .zero,
    netAmount: .zero, unitCost: .zero)
  let error = #expect(throws: WaterfallError.self) {
    try Waterfall.rows(lines: [bad], offInvoice: [], minimumMargin: nil)
  }
  #expect(error?.code == "E-WATERFALL-INPUT")
  #expect(WaterfallError.tooManyLines(3_000_000).code == "E-WATERFALL-LIMIT")
}

@Test func waterfallTextMarksLinesBelowFloor() throws {
  let rows = try Waterfall.rows(
    lines: try lines(), offInvoice: [try result("early_payment", "8368.00")],
    minimumMargin: try ExactDecimal.parse("0.10")
  ).rows
  let text = Waterfall.text(rows, period: q3, floor: try ExactDecimal.parse("0.10"))
  #expect(text.hasPrefix("PRICE WATERFALL 2026-Q3  margin floor over cost 10.00 %\n"))
  // 410,400 − 8,208 = 402,192.00 ≥ 396,000.00: not below.
  #expect(
    text.contains(
      "G1\tINV-1\t1\tSKU-A\t600,000.00\t189,600.00\t8,208.00\t0.00\t0.00\t402,192.00\t360,000.00\t42,192.00\t11.72 %\t\n"
    ))
}
