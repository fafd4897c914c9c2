import Foundation
import Mechanics
import PostgresClient
import RebateCore

/// `EngineStore` on PostgreSQL. It owns its connection (one owner at a time, see `Connection`).
public final class PostgresStore: EngineStore {
  public let connection: Connection
  /// ISO-8601 UTC timestamp of "now"; tests pin it.
  private let now: () -> String
  /// A new unique id for audit entries; tests pin it.
  private let newID: () -> String

  public init(
    connection: Connection, now: @escaping () -> String, newID: @escaping () -> String
  ) {
    self.connection = connection
    self.now = now
    self.newID = newID
  }

  public func dealers() throws -> [DealerRecord] {
    try connection.query(
      "SELECT \(DealerRecord.columns) FROM dealers ORDER BY dealer_id", purpose: "read dealers"
    ).rows.map(DealerRecord.init(row:))
  }

  /// Every dealer by its code. PostgreSQL tells codes apart by bytes, Swift `String` keys by
  /// canonical equivalence: two rows whose codes are one text to Swift (a precomposed and a
  /// decomposed `Ё`, written around the identifier grammar) are refused, never merged.
  public func dealersByCode() throws -> [String: DealerRecord] {
    try Dictionary(uniqueKeys: try dealers().map { ($0.code, $0) }) {
      StoreError.sameText(table: "dealers", what: "dealer codes", $0)
    }
  }

  public func products() throws -> [ProductRecord] {
    try connection.query(
      "SELECT sku, name, category, brand, unit_cost_minor FROM products ORDER BY sku",
      purpose: "read products"
    ).rows.map { row in
      ProductRecord(
        sku: try row.string("sku"), name: try row.string("name"),
        category: try row.string("category"), brand: try row.string("brand"),
        unitCost: Money(minor: try row.int64("unit_cost_minor")))
    }
  }

  public func listPrice(sku: String, on day: Day) throws -> Money? {
    let rows = try connection.query(
      """
      SELECT list_price_minor FROM price_list WHERE sku = $1 AND effective_from <= $2::date
      ORDER BY effective_from DESC LIMIT 1
      """, [sku, day.description], purpose: "read list price of \(sku) on \(day)")
    return try rows.rows.first.map { Money(minor: try $0.int64("list_price_minor")) }
  }

  public func documents(dealer: String, from: Day, through: Day) throws -> DealerDocuments {
    let rows = try connection.query(
      """
      SELECT i.document, i.kind, i.issued_on::text AS issued_on, i.due_on::text AS due_on,
        trim_scale(i.vat_percent / 100)::text AS vat_rate, i.refers_to, l.sku, p.category, p.brand,
        l.qty, l.list_price_minor, l.net_unit_price_minor, l.net_amount_minor
      FROM invoices i
      JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
      JOIN products p ON p.sku = l.sku
      WHERE i.dealer_id = $1 AND i.issued_on BETWEEN $2::date AND $3::date
      ORDER BY i.issued_on, i.document, l.line
      """, [dealer, from.description, through.description],
      purpose: "read documents of \(dealer) \(from)...\(through)")
    // Grouped by the number's bytes, as PostgreSQL keys it: two numbers that are one text to
    // Swift's `==` (Unicode spellings of one string) stay two documents.
    var documents: [(number: String, header: Row, lines: [DocumentLine])] = []
    var indexByBytes: [[UInt8]: Int] = [:]
    for row in rows.rows {
      let number = try row.string("document")
      let line = DocumentLine(
        sku: try row.string("sku"), category: try row.string("category"),
        brand: try row.string("brand"), quantity: try row.int64("qty"),
        listPrice: Money(minor: try row.int64("list_price_minor")).exact,
        netUnitPrice: Money(minor: try row.int64("net_unit_price_minor")).exact,
        netAmount: Money(minor: try row.int64("net_amount_minor")))
      if let index = indexByBytes[Array(number.utf8)] {
        documents[index].lines.append(line)
      } else {
        indexByBytes[Array(number.utf8)] = documents.count
        documents.append((number, row, [line]))
      }
    }
    var invoices: [Invoice] = []
    var creditNotes: [CreditNote] = []
    for (number, header, lines) in documents {
      let day = try Day.parse(try header.string("issued_on"))
      let vatRate = try ExactDecimal.parse(try header.string("vat_rate"))
      if try header.string("kind") == "invoice" {
        invoices.append(
          Invoice(
            number: number, dealer: dealer, day: day,
            dueDay: try Day.parse(try header.string("due_on")), vatRate: vatRate, lines: lines))
      } else {
        creditNotes.append(
          CreditNote(
            number: number, dealer: dealer, day: day, vatRate: vatRate, lines: lines,
            invoiceNumber: try header.optionalString("refers_to")))
      }
    }
    return DealerDocuments(invoices: invoices, creditNotes: creditNotes)
  }

  public func payments(dealer: String, from: Day, through: Day) throws -> [Payment] {
    try connection.query(
      """
      SELECT payment, paid_on::text AS paid_on, gross_amount_minor, invoice FROM payments
      WHERE dealer_id = $1 AND paid_on BETWEEN $2::date AND $3::date ORDER BY paid_on, payment
      """, [dealer, from.description, through.description],
      purpose: "read payments of \(dealer) \(from)...\(through)"
    ).rows.map { row in
      Payment(
        id: try row.string("payment"), dealer: dealer,
        day: try Day.parse(try row.string("paid_on")),
        grossAmount: Money(minor: try row.int64("gross_amount_minor")),
        invoiceNumber: try row.optionalString("invoice"))
    }
  }

  public func period(_ period: Period) throws -> PeriodRecord? {
    let rows = try connection.query(
      """
      SELECT status, fingerprint, closed_by,
        to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS closed_at
      FROM periods WHERE period_key = $1
      """, [period.description], purpose: "read period \(period)")
    guard let row = rows.rows.first else { return nil }
    let text = try row.string("status")
    guard let status = PeriodStatus(rawValue: text) else {
      throw StoreError.corruptValue(
        table: "periods", key: period.description, reason: "status \(text)")
    }
    return PeriodRecord(
      period: period, status: status, fingerprint: try row.optionalString("fingerprint"),
      closedBy: try row.optionalString("closed_by"), closedAt: try row.optionalString("closed_at"))
  }

  public func saveDraft(_ period: Period, results: [ResultLine]) throws {
    let key = period.description
    precondition(results.allSatisfy { $0.period == period }, "results of another period")
    try connection.transaction(purpose: "save draft \(key)") { connection in
      try connection.execute(
        """
        INSERT INTO periods (period_key, status) VALUES ($1, 'draft')
        ON CONFLICT (period_key) DO UPDATE SET status = 'draft' WHERE periods.status <> 'draft'
        """, [key], purpose: "mark \(key) draft")
      try connection.execute(
        "DELETE FROM results WHERE period_key = $1", [key], purpose: "clear draft \(key)")
      var lineKeys: [String: Int] = [:]
      for line in results {
        // Several lines of one mechanic for one dealer (adjustments) get distinct keys.
        let slot = "\(line.dealer)|\(line.mechanic)"
        let lineKey = lineKeys[slot].map { String($0 + 1) } ?? ""
        lineKeys[slot, default: 0] += 1
        try connection.execute(
          """
          INSERT INTO results (dealer_id, period_key, mechanic, line_key, amount_minor, explanation,
            source_refs, computed_at)
          VALUES ($1, $2, $3, $4, $5, $6::json, $7::jsonb, $8::timestamptz)
          """,
          [
            line.dealer, key, line.mechanic, lineKey, String(line.amount.minor),
            ExplanationJSON.encode(line.explanation),
            ExplanationJSON.sources(line.explanation.sources), now(),
          ], purpose: "save result \(line.dealer) \(line.mechanic) \(key)")
      }
    }
  }

  public func close(_ period: Period, fingerprint: String, by user: String) throws {
    let changed = try connection.execute(
      """
      UPDATE periods SET status = 'closed', fingerprint = $2, closed_by = $3,
        closed_at = $4::timestamptz
      WHERE period_key = $1 AND status = 'draft'
      """, [period.description, fingerprint, user, now()], purpose: "close \(period)")
    guard changed == 1 else {
      throw StoreError.corruptValue(
        table: "periods", key: period.description, reason: "only a draft period can be closed")
    }
  }

  public func results(_ period: Period) throws -> [ResultLine] {
    try connection.query(
      """
      SELECT dealer_id, mechanic, line_key, amount_minor, explanation::text AS explanation
      FROM results WHERE period_key = $1 ORDER BY dealer_id, mechanic, line_key
      """, [period.description], purpose: "read results of \(period)"
    ).rows.map { row in
      let dealer = try row.string("dealer_id")
      let mechanic = try row.string("mechanic")
      return ResultLine(
        dealer: dealer, period: period, mechanic: mechanic,
        amount: Money(minor: try row.int64("amount_minor")),
        explanation: try ExplanationJSON.decode(
          try row.string("explanation"), key: "\(period) \(dealer) \(mechanic)"))
    }
  }

  public func audit(actor: String, action: String, subject: String, details: [String: String])
    throws
  {
    let keys = details.keys.sorted()
    try connection.execute(
      """
      INSERT INTO audit_log (entry_id, at, actor, action, subject, details)
      VALUES ($1, $2::timestamptz, $3, $4, $5, jsonb_object($6::text[], $7::text[]))
      """,
      [
        newID(), now(), actor, action, subject, postgresArray(keys),
        postgresArray(keys.map { details[$0]! }),
      ], purpose: "audit \(action) \(subject)")
  }

  /// A text[] literal passed as ONE parameter (quoted and escaped, never spliced into SQL).
  private func postgresArray(_ values: [String]) -> String {
    let quoted = values.map { value in
      "\""
        + value.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
    return "{" + quoted.joined(separator: ",") + "}"
  }
}

extension DealerRecord {
  /// The `dealers` columns `init(row:)` reads.
  static let columns = "dealer_id, name, tier, segment, region, status, payment_terms"

  init(row: Row) throws {
    self.init(
      code: try row.string("dealer_id"), name: try row.string("name"),
      tier: try row.string("tier"), segment: try row.string("segment"),
      region: try row.string("region"), status: try row.string("status"),
      paymentTerms: try row.string("payment_terms"))
  }

  /// One dealer from master data, or nil when there is no such dealer.
  public static func read(_ code: String, on connection: Connection) throws -> DealerRecord? {
    try connection.query(
      "SELECT \(columns) FROM dealers WHERE dealer_id = $1", [code], purpose: "read dealer \(code)"
    ).rows.first.map(DealerRecord.init(row:))
  }
}
