import Foundation
import Policy
import PostgresClient
import RebateCore
import RebateStore
import Testing

@Suite("Quotes and the invoice audit through the database")
struct QuoteDatabaseTests {
  /// Master data, both policy versions, and D001 on Gold: terms v1 from 2026-01-01 (policy v1,
  /// E1) and v2 from 2026-11-01 (policy v2, E3's guardrails).
  static func prepare(_ database: TestDatabase) throws {
    TermsFixtures.masterData(database)
    let connection = try database.connect()
    defer { connection.close() }
    let store = TermsFixtures.store(connection)
    try TermsFixtures.load("policy-e1-v1.toml", store)
    try TermsFixtures.load("policy-e1-v2.toml", store)
    for from in ["2026-01-01", "2026-11-01"] {
      _ = try DealerTermsStore.issue(
        dealer: "D001", policyID: "e1-cascade", tier: "Gold", extraDiscount: .zero,
        effectiveFrom: try Day.parse(from), by: "sam.sales", at: TermsFixtures.now, store: store)
    }
  }

  static func quote(_ connection: Connection, _ day: String, quantity: Int = 60) throws
    -> LineQuote
  {
    try LineQuoteStore.quote(
      dealer: "D001", sku: "PT-DRL-0001", quantity: quantity, on: try Day.parse(day),
      connection: connection)
  }

  static func money(_ text: String) throws -> Money { try Money.parse(text) }

  @Test("E1 end to end: 8,000.00 -> 7,200.00 -> 6,840.00, line 410,400.00, 31.60 %")
  func e1() throws {
    try TestDatabase.with { database in
      try Self.prepare(database)
      let connection = try database.connect()
      defer { connection.close() }
      let line = try Self.quote(connection, "2026-07-15")
      #expect(line.terms.version == 1)
      #expect(line.policy.reference == "e1-cascade v1")
      #expect(line.quote.steps.map(\.priceAfter) == [8_000, 7_200, 6_840].map(ExactDecimal.init))
      #expect(
        line.quote.steps.map(\.label)
          == ["Gold tier", "Power tools promotion", "Order of 50 units or more"])
      #expect(line.quote.netUnit == (try Self.money("6840.00")))
      #expect(line.quote.lineTotal == (try Self.money("410400.00")))
      #expect(line.quote.effectiveDiscount.percentText(decimals: 2) == "31.60")
      #expect(line.quote.guardrail.rawValue == "none")
    }
  }

  @Test("E3 end to end: floors 7,000.00 and 7,245.00, net 7,245.00, 27.55 %, margin bound")
  func e3() throws {
    try TestDatabase.with { database in
      try Self.prepare(database)
      let connection = try database.connect()
      defer { connection.close() }
      let line = try Self.quote(connection, "2026-11-15")
      #expect(line.terms.version == 2)
      #expect(line.policy.reference == "e1-cascade v2")
      #expect(line.quote.exactUnit == ExactDecimal(6_840))
      #expect(line.quote.discountFloor == (try Self.money("7000.00")))
      #expect(line.quote.marginFloor == (try Self.money("7245.00")))
      #expect(line.quote.netUnit == (try Self.money("7245.00")))
      #expect(line.quote.effectiveDiscount.percentText(decimals: 2) == "27.55")
      #expect(line.quote.guardrail.rawValue == "min_margin")
    }
  }

  @Test("effective-dated terms: the day before v2 prices under v1, after the window no promo")
  func effectiveDates() throws {
    try TestDatabase.with { database in
      try Self.prepare(database)
      let connection = try database.connect()
      defer { connection.close() }
      let before = try Self.quote(connection, "2026-10-31")
      #expect(before.terms.version == 1)
      #expect(before.quote.netUnit == (try Self.money("6840.00")))
      let afterWindow = try Self.quote(connection, "2027-01-01")
      #expect(afterWindow.quote.steps.map(\.label) == ["Gold tier", "Order of 50 units or more"])
      #expect(afterWindow.quote.netUnit == (try Self.money("7600.00")))
      #expect(
        TermsFixtures.code { _ = try Self.quote(connection, "2025-12-31") }
          == "E-TERMS-NOT-IN-FORCE")
    }
  }

  @Test("quote --json carries the same figures as the text form")
  func json() throws {
    try TestDatabase.with { database in
      try Self.prepare(database)
      let result = runCLI(
        [
          "quote", "--dealer", "D001", "--sku", "PT-DRL-0001", "--qty", "60", "--date",
          "2026-11-15", "--json",
        ], environment: ["DATABASE_URL": database.conninfo])
      #expect(result.status == 0)
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
      #expect(object["net_unit_price"] as? String == "7245.00")
      #expect(object["line_total"] as? String == "434700.00")
      #expect(object["effective_discount_percent"] as? String == "27.55")
      #expect(object["guardrail"] as? String == "min_margin")
      #expect(object["margin_floor"] as? String == "7245.00")
      let steps = try #require(object["steps"] as? [[String: Any]])
      #expect(
        steps.compactMap { $0["price_after"] as? String } == ["8000.00", "7200.00", "6840.00"])
    }
  }

  @Test("the invoice audit finds exactly the lines priced off terms, with the amount at stake")
  func invoiceAudit() throws {
    try TestDatabase.with { database in
      try Self.prepare(database)
      TermsFixtures.run(
        database, [["import", "invoices", TermsFixtures.path("quote-invoices.csv")]])
      let connection = try database.connect()
      defer { connection.close() }
      let report = try InvoiceAuditStore.audit(
        try Period.parse("2026-Q3"), listLimit: 100, connection: connection)
      #expect(report.linesChecked == 5)
      #expect(
        report.listed.map { "\($0.document)/\($0.line)" } == ["INV-Q1/2", "INV-Q2/1", "INV-Q2/2"])
      #expect(
        report.listed.map(\.audit.amountAtStake)
          == [try Self.money("12312.00"), try Self.money("-1000.00"), try Self.money("400.00")])
      #expect(report.belowTermsAmount == (try Self.money("12712.00")))
      #expect(report.aboveTermsAmount == (try Self.money("-1000.00")))
      #expect(report.netAtStake == (try Self.money("11712.00")))
      #expect(report.notChecked == ["no approved terms in force on the invoice date": 1])
      // The audit's expected price is what a quote of the same line says.
      for line in report.listed {
        let quote = try LineQuoteStore.quote(
          dealer: line.dealer, sku: line.sku, quantity: line.audit.quantity, on: line.day,
          connection: connection)
        #expect(quote.quote.netUnit == line.audit.expectedNetUnit)
      }
    }
  }
}
