import Foundation
import Policy
import Pricing
import RebateCore
import RebateStore
import Testing

/// Dealers' payment terms (dealers.csv `payment_terms`) reach every place that prices a stored
/// dealer. Fixtures: dealers P001 (prepaid) and P002 (net30), alike in everything else (Gold,
/// installer, Moscow); policy prepaid-cascade: Gold 20 %, then 2 % for `prepaid` terms;
/// PT-DRL-0001 at list 10,000.00.
@Suite("Dealer payment terms")
struct PaymentTermsTests {
  static func setUp(_ database: TestDatabase) {
    TermsFixtures.run(
      database,
      [
        ["import", "dealers", TermsFixtures.path("payment-terms-dealers.csv")],
        ["import", "products", TermsFixtures.path("quote-products.csv")],
        ["import", "prices", TermsFixtures.path("quote-prices.csv")],
        ["policy", "load", TermsFixtures.path("policy-prepaid.toml"), "--by", "alice.admin"],
      ]
        + ["P001", "P002"].map { dealer in
          [
            "terms", "issue", "--dealer", dealer, "--policy", "prepaid-cascade", "--tier", "Gold",
            "--from", "2026-01-01", "--by", "sam.sales",
          ]
        })
  }

  struct QuoteJSON: Decodable {
    let net_unit_price: String
    let line_total: String
    let effective_discount_percent: String
    let steps: [Step]
    struct Step: Decodable {
      let label: String
      let price_after: String
    }
  }

  static func quote(_ dealer: String, _ database: TestDatabase) throws -> QuoteJSON {
    let result = runCLI(
      [
        "quote", "--dealer", dealer, "--sku", "PT-DRL-0001", "--qty", "10", "--date",
        "2026-07-15", "--json",
      ], environment: ["DATABASE_URL": database.conninfo])
    #expect(result.status == 0, "\(result.err)")
    return try JSONDecoder().decode(QuoteJSON.self, from: Data(result.out.utf8))
  }

  @Test("rebate quote applies a payment_terms step to the prepaid dealer only")
  func quoteThroughCLI() throws {
    try TestDatabase.with { database in
      Self.setUp(database)
      // 10,000.00 x 0.80 = 8,000.00, x 0.98 = 7,840.00; 10 units 78,400.00; 21.60 % off list.
      let prepaid = try Self.quote("P001", database)
      #expect(prepaid.net_unit_price == "7840.00")
      #expect(prepaid.line_total == "78400.00")
      #expect(prepaid.effective_discount_percent == "21.60")
      #expect(prepaid.steps.map(\.label) == ["Gold tier", "Prepaid"])
      #expect(prepaid.steps.map(\.price_after) == ["8000.00", "7840.00"])
      // The same dealer on net30 terms: the tier step only.
      let onCredit = try Self.quote("P002", database)
      #expect(onCredit.net_unit_price == "8000.00")
      #expect(onCredit.line_total == "80000.00")
      #expect(onCredit.effective_discount_percent == "20.00")
      #expect(onCredit.steps.map(\.label) == ["Gold tier"])
    }
  }

  @Test("the invoice audit, terms sheet and price protection see the payment terms too")
  func otherPricers() throws {
    try TestDatabase.with { database in
      Self.setUp(database)
      // Both dealers invoiced at the prepaid price: right for P001, 160.00 a unit too little
      // for P002 (10 units: 1,600.00 below terms).
      let invoices = try temporaryFile(
        "invoices.csv",
        """
        document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to
        INV-P1,invoice,P001,2026-07-15,2026-08-14,20,1,PT-DRL-0001,10,10000.00,7840.00,
        INV-P2,invoice,P002,2026-07-15,2026-08-14,20,1,PT-DRL-0001,10,10000.00,7840.00,

        """)
      TermsFixtures.run(database, [["import", "invoices", invoices]])
      let connection = try database.connect()
      defer { connection.close() }
      let report = try InvoiceAuditStore.audit(
        try Period.parse("2026-Q3"), listLimit: 10, connection: connection)
      #expect(report.linesChecked == 2)
      #expect(report.offTermsCount == 1)
      #expect(report.listed.map(\.dealer) == ["P002"])
      #expect(report.belowTermsAmount == Money(minor: 160_000))

      let sheet = runCLI(
        ["terms", "show", "--dealer", "P001", "--date", "2026-07-15"],
        environment: ["DATABASE_URL": database.conninfo])
      #expect(sheet.status == 0, "\(sheet.err)")
      #expect(sheet.out.contains("2  Prepaid: 2% off"))
      let otherSheet = runCLI(
        ["terms", "show", "--dealer", "P002", "--date", "2026-07-15"],
        environment: ["DATABASE_URL": database.conninfo])
      #expect(otherSheet.status == 0, "\(otherSheet.err)")
      #expect(!otherSheet.out.contains("Prepaid: 2% off"))

      // E8 after a drop to 9,000.00: 9,000.00 x 0.80 x 0.98 = 7,056.00 prepaid, 7,200.00 not.
      let policy = try TermsFixtures.decoded("policy-prepaid.toml")
      let pricer = try PriceDropPricer(policy: policy, store: TermsFixtures.store(connection))
      let product = ProductInfo(
        sku: "PT-DRL-0001", category: "Power tools", brand: "Valtek",
        listPrice: Money(minor: 900_000), cost: Money(minor: 690_000))
      let day = try Day.parse("2026-08-15")
      #expect(
        try pricer.newNetUnitPrice(dealer: "P001", product: product, on: day).description
          == "7056.00")
      #expect(
        try pricer.newNetUnitPrice(dealer: "P002", product: product, on: day).description
          == "7200.00")
    }
  }
}
