import RebateCore
import SellOut
import Testing

@Suite struct PriceProtectionTests {
  let effective = try! Day.parse("2026-08-15")
  let change = PriceChange(
    sku: "TV-55", effective: try! Day.parse("2026-08-15"), document: "PC-2026-08",
    oldListPrice: try! Money.parse("1000.00"), newListPrice: try! Money.parse("900.00"))

  /// E8: shipments 05-10 50, 07-01 30, 08-01 20 at 800.00; 60 units sold out through 08-14.
  func e8Inventory() throws -> SKUInventory {
    let paid = try ExactDecimal.parse("800.00")
    let shipments = [
      Shipment(
        day: try Day.parse("2026-05-10"), document: "INV-1", sku: "TV-55", quantity: 50,
        netUnitPrice: paid),
      Shipment(
        day: try Day.parse("2026-07-01"), document: "INV-2", sku: "TV-55", quantity: 30,
        netUnitPrice: paid),
      Shipment(
        day: try Day.parse("2026-08-01"), document: "INV-3", sku: "TV-55", quantity: 20,
        netUnitPrice: paid),
    ]
    let sales = [
      SoldOut(day: try Day.parse("2026-06-15"), sku: "TV-55", quantity: 35),
      SoldOut(day: try Day.parse("2026-08-14"), sku: "TV-55", quantity: 25),
    ]
    let stock = ChannelInventory.at(effective, shipments: shipments, returns: [], sales: sales)
    return try #require(stock["TV-55"])
  }

  func e8(windowDays: Int, coveredThrough: Day?) throws -> ResultLine {
    try PriceProtection.compute(
      dealer: "D1", period: try Period.parse("2026-Q3"), change: change,
      newNetUnitPrice: try ExactDecimal.parse("720.00"), inventory: try e8Inventory(),
      coveredThrough: coveredThrough, settings: PriceProtectionSettings(windowDays: windowDays))
  }

  @Test func e8InventoryIsTheNewestFortyUnits() throws {
    let inventory = try e8Inventory()
    #expect(inventory.remaining == 40)
    let layers = inventory.remainingLayers
    #expect(layers.map(\.document) == ["INV-2", "INV-3"])
    #expect(layers.map(\.remaining) == [20, 20])
    #expect(layers.map { $0.shippedOn.days(until: effective) } == [45, 14])
  }

  @Test func e8SixtyDayWindowRefundsFortyUnits() throws {
    let line = try e8(windowDays: 60, coveredThrough: try Day.parse("2026-08-31"))
    #expect(line.amount == (try Money.parse("3200.00")))
    #expect(line.explanation.formula == "20 × 80.00 + 20 × 80.00 = 3,200.00")
    #expect(line.explanation.sources.map(\.number) == ["PC-2026-08", "INV-2", "INV-3"])
  }

  @Test func e8ThirtyDayWindowRefundsTwentyUnits() throws {
    let line = try e8(windowDays: 30, coveredThrough: try Day.parse("2026-08-14"))
    #expect(line.amount == (try Money.parse("1600.00")))
    #expect(line.explanation.formula == "20 × 80.00 = 1,600.00")
    #expect(
      line.explanation.inputs.contains(
        ExplanationInput(
          "layer INV-2",
          "20 units shipped 2026-07-01 (45 days before) at 800.00: "
            + "outside the 30-day window")))
  }

  @Test func e8DealerWithoutCoverageGetsNothingAndIsToldWhy() throws {
    let line = try e8(windowDays: 60, coveredThrough: try Day.parse("2026-07-31"))
    #expect(line.amount == Money.zero)
    #expect(
      line.explanation.note
        == "no protection: sell-out reports cover up to 2026-07-31; a price change effective "
        + "2026-08-15 needs reports through 2026-08-14")
    let none = try e8(windowDays: 60, coveredThrough: nil)
    #expect(none.amount == Money.zero)
    #expect(none.explanation.note?.contains("cover no day") == true)
  }

  @Test func coverageCanBeWaivedByPolicy() throws {
    let line = try PriceProtection.compute(
      dealer: "D1", period: try Period.parse("2026-Q3"), change: change,
      newNetUnitPrice: try ExactDecimal.parse("720.00"), inventory: try e8Inventory(),
      coveredThrough: nil,
      settings: PriceProtectionSettings(windowDays: 60, coverage: .notRequired))
    #expect(line.amount == (try Money.parse("3200.00")))
  }

  @Test func unitsBoughtBelowTheNewNetAreNotRefunded() throws {
    let cheap = Shipment(
      day: try Day.parse("2026-08-01"), document: "INV-9", sku: "TV-55", quantity: 10,
      netUnitPrice: try ExactDecimal.parse("700.00"))
    let stock = ChannelInventory.at(effective, shipments: [cheap], returns: [], sales: [])
    let line = try PriceProtection.compute(
      dealer: "D1", period: try Period.parse("2026-Q3"), change: change,
      newNetUnitPrice: try ExactDecimal.parse("720.00"), inventory: stock["TV-55"],
      coveredThrough: try Day.parse("2026-08-14"), settings: PriceProtectionSettings(windowDays: 60)
    )
    #expect(line.amount == Money.zero)
  }
}

@Suite struct ChannelInventoryTests {
  let price = try! ExactDecimal.parse("10.00")

  func ship(_ day: String, _ document: String, _ quantity: Int64) throws -> Shipment {
    Shipment(
      day: try Day.parse(day), document: document, sku: "A", quantity: quantity, netUnitPrice: price
    )
  }

  @Test func eventsOnTheDayItselfDoNotCount() throws {
    let stock = ChannelInventory.at(
      try Day.parse("2026-07-10"), shipments: [try ship("2026-07-10", "I1", 5)], returns: [],
      sales: [])
    #expect(stock["A"] == nil)
  }

  @Test func creditedReturnsTakeTheNamedInvoiceThenTheNewest() throws {
    let shipments = [try ship("2026-07-01", "I1", 10), try ship("2026-07-05", "I2", 10)]
    let returns = [
      CreditedReturn(
        day: try Day.parse("2026-07-06"), document: "CN1", sku: "A", quantity: 4,
        shipmentDocument: "I1"),
      CreditedReturn(day: try Day.parse("2026-07-07"), document: "CN2", sku: "A", quantity: 3),
    ]
    let stock = try #require(
      ChannelInventory.at(
        try Day.parse("2026-07-31"), shipments: shipments, returns: returns, sales: [])["A"])
    #expect(stock.layers.map(\.remaining) == [6, 7])
  }

  @Test func salesBeyondShipmentsAreAGapNotNegativeStock() throws {
    let stock = try #require(
      ChannelInventory.at(
        try Day.parse("2026-07-31"), shipments: [try ship("2026-07-01", "I1", 10)], returns: [],
        sales: [SoldOut(day: try Day.parse("2026-07-02"), sku: "A", quantity: 13)])["A"])
    #expect(stock.remaining == 0)
    #expect(stock.soldNeverShipped == 3)
  }

  @Test func customerReturnsPutUnitsBackWhereFIFOLastTookThem() throws {
    let shipments = [try ship("2026-07-01", "I1", 10), try ship("2026-07-05", "I2", 10)]
    let sales = [
      SoldOut(day: try Day.parse("2026-07-06"), sku: "A", quantity: 15),
      SoldOut(day: try Day.parse("2026-07-07"), sku: "A", quantity: -7),
    ]
    let stock = try #require(
      ChannelInventory.at(
        try Day.parse("2026-07-31"), shipments: shipments, returns: [], sales: sales)["A"])
    #expect(stock.layers.map(\.remaining) == [2, 10])
  }
}
