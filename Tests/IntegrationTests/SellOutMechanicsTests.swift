import Close
import Foundation
import Mechanics
import Policy
import PostgresClient
import Pricing
import RebateCore
import RebateStore
import SellOut
import Testing

/// E7 and E8 end to end: files submitted through the CLI at pinned times, read back by the
/// store functions the period close calls, and computed by the close.
@Suite("Sell-out mechanics through PostgreSQL (E7, E8)")
struct SellOutMechanicsTests {
  static let q3 = try! Period.parse("2026-Q3")
  static let goldCascade = Cascade(steps: [
    CascadeStep(
      name: "Gold tier", adjustment: .percent(try! ExactDecimal.parse("0.20")),
      condition: StepCondition(tiers: ["Gold"]))
  ])
  static let goldDealer = Pricing.DealerProfile(
    tier: "Gold", segment: "retail", region: "south", paymentTerms: "net30")

  /// E7's three reports (July on 08-08, August on 09-12, September on 10-09) and E8's two.
  static func submitAll(_ database: TestDatabase) throws {
    for (month, at) in [
      ("2026-07", "2026-08-08"), ("2026-08", "2026-09-12"), ("2026-09", "2026-10-09"),
    ] {
      let result = try SellOutFixtures.submit(
        database, dealer: "D-E7", month: month, text: SellOutFixtures.e7File(month), at: at)
      #expect(result.status == 0, "\(result.err)")
    }
    for (dealer, month, text) in [
      ("D-E8", "2026-07", SellOutFixtures.e8July), ("D-E8", "2026-08", SellOutFixtures.e8August),
      ("D-E8X", "2026-07", SellOutFixtures.e8July),
    ] {
      let result = try SellOutFixtures.submit(
        database, dealer: dealer, month: month, text: text, at: "2026-09-05T08:00:00Z")
      #expect(result.status == 0, "\(result.err)")
    }
  }

  static func documents(
    _ connection: Connection, dealer: String, sellOut: [String: SellOutData],
    drops: [String: [PriceDrop]]
  ) throws -> Close.DealerDocuments {
    let stored = try PostgresStore(connection: connection, now: { "" }, newID: { "" }).documents(
      dealer: dealer, from: try Day.parse("2026-01-01"), through: q3.lastDay)
    return Close.DealerDocuments(
      profile: Close.DealerProfile(dealer: dealer, segment: "retail"), invoices: stored.invoices,
      creditNotes: stored.creditNotes, sellOut: sellOut[dealer], priceDrops: drops[dealer] ?? [])
  }

  static func closeLine(
    _ connection: Connection, dealer: String, offInvoice: OffInvoiceSettings, mechanic: String
  ) throws -> ResultLine? {
    let store = SellOutStore(connection: connection)
    let engine = try PriceEngine(goldCascade)
    let sellOut = try store.sellOutData(period: q3)
    let drops = try store.priceDrops(period: q3) { _, product, day in
      try SellOutStore.netUnitPrice(engine: engine, profile: goldDealer, product: product, on: day)
    }
    let result = try closeDealer(
      try documents(connection, dealer: dealer, sellOut: sellOut, drops: drops), period: q3,
      settings: CloseSettings(offInvoice: offInvoice, policyReference: "test v1"))
    return result.lines.first { $0.mechanic == mechanic }
  }

  @Test("E7: 2 of 3 reports on time; all-or-nothing 0.00, pro rata 14,000.00")
  func e7() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      try Self.submitAll(database)
      func bonus(_ payout: ReportingBonusPayout) throws -> ResultLine? {
        let settings = ReportingBonusSettings(
          dueDayOfNextMonth: 10, rate: try ExactDecimal.parse("0.005"), payout: payout)
        return try Self.closeLine(
          connection, dealer: "D-E7", offInvoice: OffInvoiceSettings(reportingBonus: settings),
          mechanic: ReportingBonus.mechanic)
      }
      let allOrNothing = try #require(try bonus(.allOrNothing))
      #expect(allOrNothing.amount == Money(minor: 0))
      #expect(allOrNothing.explanation.note == "2 of 3 months on time")
      let proRata = try #require(try bonus(.proRata))
      #expect(proRata.amount == Money(minor: 14_000_00))
      #expect(proRata.explanation.formula == "4,200,000.00 × 0.50 % × 2/3 = 14,000.00")
      #expect(
        proRata.explanation.inputs.contains {
          $0.name == "2026-08" && $0.value == "received 2026-09-12, due 2026-09-10: late"
        })
      // The status command shows the same verdicts.
      let status = runCLI([
        "sellout", "status", "--dealer", "D-E7", "--through", "2026-09", "--database",
        database.conninfo,
      ])
      #expect(status.status == 0, "\(status.err)")
      #expect(
        status.out.contains(
          "2026-07  v1 of 1, 1 lines; received 2026-08-08, due 2026-08-10: on time"))
      #expect(
        status.out.contains("2026-08  v1 of 1, 1 lines; received 2026-09-12, due 2026-09-10: late"))
      #expect(status.out.contains("completeness 100.00 % (1 of 1 SKUs)"))
    }
  }

  @Test("E8 through terms: a 1 % extra discount in force makes the new net 712.80, not 720.00")
  func e8PricesThroughTheTermsInForce() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      defer { connection.close() }
      try SellOutFixtures.load(connection)
      for command in [
        ["policy", "load", TermsFixtures.path("policy-e1-v1.toml")],
        [
          "terms", "issue", "--dealer", "D-E8", "--policy", "e1-cascade", "--tier", "Gold",
          "--extra-discount", "1%", "--from", "2026-01-01", "--by", "sam.sales",
        ],
      ] {
        let run = runCLI(command + ["--database", database.conninfo])
        #expect(run.status == 0, "\(run.err)")
      }
      let pricer = try PriceDropPricer(
        policy: try TermsFixtures.decoded("policy-e1-v1.toml"),
        store: TermsFixtures.store(connection))
      let drops = try SellOutStore(connection: connection).priceDrops(
        period: Self.q3, newNetUnitPrice: pricer.newNetUnitPrice)
      // 900.00 × (1 − 20 %) × (1 − 1 %); D-E8X has no terms: its master-data tier, Gold.
      #expect(drops["D-E8"]?.first?.newNetUnitPrice == (try ExactDecimal.parse("712.80")))
      #expect(drops["D-E8X"]?.first?.newNetUnitPrice == (try ExactDecimal.parse("720.00")))
    }
  }

  @Test("E8: 40 units in stock; 60-day window 3,200.00, 30-day 1,600.00; no coverage 0.00")
  func e8() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try SellOutFixtures.load(connection)
      try Self.submitAll(database)
      let store = SellOutStore(connection: connection)
      let stock = try #require(
        try store.inventory(dealer: "D-E8", on: try Day.parse("2026-08-15"))["P-1"])
      #expect(stock.remaining == 40)
      #expect(stock.remainingLayers.map(\.document) == ["INV-E8-2", "INV-E8-3"])
      #expect(stock.remainingLayers.map(\.remaining) == [20, 20])
      let drops = try store.priceDrops(period: Self.q3) { _, product, day in
        try SellOutStore.netUnitPrice(
          engine: try PriceEngine(Self.goldCascade), profile: Self.goldDealer, product: product,
          on: day)
      }
      #expect(drops.keys.sorted() == ["D-E8", "D-E8X"])
      let drop = try #require(drops["D-E8"]?.first)
      #expect(drop.newNetUnitPrice == (try ExactDecimal.parse("720.00")))
      #expect(drop.change.oldListPrice == Money(minor: 1000_00))
      func refund(_ dealer: String, windowDays: Int) throws -> ResultLine? {
        try Self.closeLine(
          connection, dealer: dealer,
          offInvoice: OffInvoiceSettings(
            priceProtection: PriceProtectionSettings(windowDays: windowDays)),
          mechanic: PriceProtection.mechanic)
      }
      let sixty = try #require(try refund("D-E8", windowDays: 60))
      #expect(sixty.amount == Money(minor: 3_200_00))
      #expect(sixty.explanation.formula == "20 × 80.00 + 20 × 80.00 = 3,200.00")
      let thirty = try #require(try refund("D-E8", windowDays: 30))
      #expect(thirty.amount == Money(minor: 1_600_00))
      #expect(thirty.explanation.formula == "20 × 80.00 = 1,600.00")
      let uncovered = try #require(try refund("D-E8X", windowDays: 60))
      #expect(uncovered.amount == Money(minor: 0))
      #expect(
        uncovered.explanation.note
          == "no protection: sell-out reports cover up to 2026-07-31; a price change effective "
          + "2026-08-15 needs reports through 2026-08-14")
      // The inventory command prints the same layers.
      let printed = runCLI([
        "inventory", "--dealer", "D-E8", "--date", "2026-08-15", "--database", database.conninfo,
      ])
      #expect(printed.status == 0, "\(printed.err)")
      #expect(printed.out.contains("  P-1: 40 units"))
      #expect(
        printed.out.contains(
          "INV-E8-2 shipped 2026-07-01 at 800.00: 30 shipped, 0 returned, 10 sold, 20 left"))
    }
  }
}
