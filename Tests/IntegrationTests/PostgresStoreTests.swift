import Foundation
import PostgresClient
import RebateCore
import RebateStore
import Testing

@Suite("PostgreSQL store")
struct PostgresStoreTests {
  static func store(_ connection: Connection) -> PostgresStore {
    var counter = 0
    return PostgresStore(
      connection: connection, now: { "2026-11-22T10:00:00Z" },
      newID: {
        counter += 1
        return "audit-\(counter)"
      })
  }

  @Test("reads E4's invoice and payments and E10's credit note back as engine values")
  func readsDocuments() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      try ImportTests.importText(.invoices, "invoices.csv", ImportFixtures.invoices, connection)
      try ImportTests.importText(.payments, "payments.csv", ImportFixtures.payments, connection)
      let store = Self.store(connection)
      let q3 = try Period.parse("2026-Q3")
      let documents = try store.documents(dealer: "D-001", from: q3.firstDay, through: q3.lastDay)
      #expect(documents.invoices.map(\.number) == ["INV-1"])
      let invoice = try #require(documents.invoices.first)
      #expect(try invoice.netAmount() == Money.parse("1000000.00"))
      #expect(try invoice.grossAmount() == Money.parse("1200000.00"))
      #expect(invoice.dueDay == (try Day.parse("2026-07-31")))
      #expect(invoice.lines.map(\.category) == ["tools", "tools"])
      #expect(try documents.creditNotes.map { try $0.netAmount() } == [Money.parse("300000.00")])
      #expect(documents.creditNotes.first?.invoiceNumber == "INV-1")
      let payments = try store.payments(dealer: "D-001", from: q3.firstDay, through: q3.lastDay)
      #expect(
        payments.map(\.grossAmount) == [
          try Money.parse("480000.00"), try Money.parse("420000.00"), try Money.parse("300000.00"),
        ])
      #expect(payments.map(\.invoiceNumber) == ["INV-1", "INV-1", nil])
      let july = try store.payments(
        dealer: "D-001", from: try Day.parse("2026-07-01"), through: try Day.parse("2026-07-31"))
      #expect(july.map(\.id) == ["P-1", "P-2"])
      #expect(
        try store.listPrice(sku: "SKU-1", on: try Day.parse("2026-08-14"))
          == Money.parse("10000.00"))
      #expect(try store.listPrice(sku: "SKU-1", on: try Day.parse("2025-12-31")) == nil)
      #expect(try store.dealers().map(\.name) == ["Дилер «Север»", "Acme, Inc", "Ёлка-Маркет"])
      #expect(try store.products().first?.unitCost == Money.parse("6900.00"))
    }
  }

  @Test("draft results round-trip with explanations; after close the database refuses changes")
  func draftCloseAndRefuse() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try ImportTests.importMasterData(connection)
      let store = Self.store(connection)
      let q3 = try Period.parse("2026-Q3")
      let line = ResultLine(
        dealer: "D-001", period: q3, mechanic: "volume_bonus", amount: try Money.parse("44000.00"),
        explanation: Explanation(
          rule: "incremental volume bonus",
          inputs: [ExplanationInput("basis", "4,200,000.00")],
          formula: "1,000,000-3,000,000 × 1 % + 3,000,000-4,200,000 × 2 % = 20,000.00 + 24,000.00",
          sources: [
            SourceDocument(
              kind: "invoice", number: "INV-1", day: try Day.parse("2026-07-01"),
              amount: try Money.parse("1000000.00"))
          ],
          note: nil))
      try store.saveDraft(q3, results: [line])
      try store.saveDraft(q3, results: [line])
      #expect(try store.results(q3) == [line])
      #expect(try store.period(q3)?.status == .draft)
      try store.close(q3, fingerprint: "abc123", by: "finance")
      let closed = try #require(try store.period(q3))
      #expect(closed.status == .closed)
      #expect(closed.closedAt == "2026-11-22T10:00:00Z")
      #expect(closed.closedBy == "finance")
      do {
        try store.saveDraft(q3, results: [])
        Issue.record("a closed period must refuse a new draft")
      } catch let error as PostgresError {
        #expect(error.sqlState == SQLState.closedPeriod)
      }
      #expect(try store.results(q3) == [line])
      try store.audit(
        actor: "finance", action: "close", subject: "2026-Q3",
        details: ["fingerprint": "abc123", "note": "quote \" and \\ kept"])
      let entry = try connection.query(
        "SELECT entry_id, details->>'note' AS note FROM audit_log", purpose: "read audit")[0]
      #expect(try entry.string("entry_id") == "audit-1")
      #expect(try entry.string("note") == "quote \" and \\ kept")
    }
  }
}
