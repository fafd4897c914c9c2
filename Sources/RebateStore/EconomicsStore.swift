import Economics
import Foundation
import Mechanics
import PostgresClient
import RebateCore

/// Reads what segmentation, the price waterfall and the cost trend need, and stores segments
/// (docs/economics.md). One connection, owned by the caller.
public struct EconomicsStore {
  let connection: Connection

  public init(connection: Connection) { self.connection = connection }

  /// Every active dealer (and any other with orders in the period): orders (invoices) in the
  /// period and the period before, last order on or before the period's end, net turnover
  /// (invoices minus credit notes dated in the period), and the period's payment grade if closed.
  public func activities(_ period: Period) throws -> [DealerActivity] {
    let previous = period.previous
    return try connection.query(
      """
      WITH orders AS (
        SELECT dealer_id,
          count(*) FILTER (WHERE issued_on >= $1::date) AS current_orders,
          count(*) FILTER (WHERE issued_on BETWEEN $3::date AND $4::date) AS previous_orders,
          max(issued_on)::text AS last_order
        FROM invoices WHERE kind = 'invoice' AND issued_on <= $2::date GROUP BY dealer_id
      ), turnover AS (
        SELECT l.dealer_id, sum(CASE WHEN i.kind = 'invoice' THEN l.net_amount_minor
          ELSE -l.net_amount_minor END)::bigint AS net
        FROM invoice_lines l JOIN invoices i USING (dealer_id, document)
        WHERE i.issued_on BETWEEN $1::date AND $2::date GROUP BY l.dealer_id
      )
      SELECT d.dealer_id, coalesce(o.current_orders, 0) AS current_orders,
        coalesce(o.previous_orders, 0) AS previous_orders, o.last_order,
        coalesce(t.net, 0) AS net, g.grade
      FROM dealers d
      LEFT JOIN orders o USING (dealer_id)
      LEFT JOIN turnover t USING (dealer_id)
      LEFT JOIN dealer_grades g ON g.dealer_id = d.dealer_id AND g.period_key = $5
      WHERE d.status = 'active' OR o.current_orders > 0
      ORDER BY d.dealer_id LIMIT \(Segmentation.maxDealers + 1)
      """,
      [
        period.firstDay.description, period.lastDay.description,
        previous.firstDay.description, previous.lastDay.description, period.description,
      ], purpose: "read dealer activity of \(period)"
    ).rows.map { row in
      DealerActivity(
        dealer: try row.string("dealer_id"),
        lastOrderDay: try row.optionalString("last_order").map { try Day.parse($0) },
        orderCount: try row.int("current_orders"), netTurnover: Money(minor: try row.int64("net")),
        previousOrderCount: try row.int("previous_orders"), grade: try row.optionalString("grade"))
    }
  }

  /// Replaces the period's stored segments in one transaction.
  public func store(_ segments: [DealerSegment], period: Period) throws {
    try connection.transaction(purpose: "store segments of \(period)") { connection in
      try connection.execute(
        "DELETE FROM dealer_segments WHERE period_key = $1", [period.description],
        purpose: "replace segments of \(period)")
      for segment in segments {
        try connection.execute(
          """
          INSERT INTO dealer_segments (period_key, dealer_id, recency, frequency, monetary, segment,
            grade, churn_signal, explanation)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
          """,
          [
            period.description, segment.dealer, String(segment.recency), String(segment.frequency),
            String(segment.monetary), segment.segment, segment.grade, String(segment.churnSignal),
            ExplanationJSON.encode(segment.explanation),
          ], purpose: "store segment of \(segment.dealer) \(period)")
      }
    }
  }

  /// Dealer → RFM segment stored for the period; empty when `--store` never ran for it.
  public func storedSegments(_ period: Period) throws -> [String: String] {
    var segments: [String: String] = [:]
    for row in try connection.query(
      "SELECT dealer_id, segment FROM dealer_segments WHERE period_key = $1",
      [period.description], purpose: "read stored segments of \(period)"
    ).rows {
      segments[try row.string("dealer_id")] = try row.string("segment")
    }
    return segments
  }

  /// Invoice lines dated in the period with each product's unit cost, in document order.
  public func waterfallLines(_ period: Period, dealer: String?) throws -> [WaterfallLine] {
    try connection.query(
      """
      SELECT l.dealer_id, l.document, l.line, l.sku, l.qty, l.list_price_minor,
        l.net_amount_minor, p.unit_cost_minor
      FROM invoice_lines l JOIN invoices i USING (dealer_id, document) JOIN products p USING (sku)
      WHERE i.kind = 'invoice' AND i.issued_on BETWEEN $1::date AND $2::date
        AND ($3::text IS NULL OR l.dealer_id = $3)
      ORDER BY l.dealer_id, i.issued_on, l.document, l.line LIMIT \(Waterfall.maxLines + 1)
      """, [period.firstDay.description, period.lastDay.description, dealer],
      purpose: "read invoice lines of \(period)"
    ).rows.map { row in
      WaterfallLine(
        dealer: try row.string("dealer_id"), document: try row.string("document"),
        line: try row.int("line"), sku: try row.string("sku"), quantity: try row.int64("qty"),
        listUnitPrice: Money(minor: try row.int64("list_price_minor")),
        netAmount: Money(minor: try row.int64("net_amount_minor")),
        unitCost: Money(minor: try row.int64("unit_cost_minor")))
    }
  }

  /// The period's off-invoice result amounts (explanations left out: the waterfall only
  /// allocates them).
  public func offInvoiceResults(_ period: Period, dealer: String?) throws -> [ResultLine] {
    try connection.query(
      """
      SELECT dealer_id, mechanic, amount_minor FROM results
      WHERE period_key = $1 AND ($2::text IS NULL OR dealer_id = $2)
      ORDER BY dealer_id, mechanic, line_key
      """, [period.description, dealer], purpose: "read results of \(period)"
    ).rows.map { row in
      let mechanic = try row.string("mechanic")
      return ResultLine(
        dealer: try row.string("dealer_id"), period: period, mechanic: mechanic,
        amount: Money(minor: try row.int64("amount_minor")),
        explanation: Explanation(rule: mechanic, inputs: [], formula: "", sources: []))
    }
  }

  /// The latest closed periods (at most `CostTrends.maxPeriods`), oldest first: closed numbers never
  /// change, so the trend does not move under finance's feet.
  public func closedPeriodCosts() throws -> [PeriodCostFacts] {
    let keys = try connection.query(
      "SELECT period_key FROM periods WHERE status = 'closed' ORDER BY period_key DESC LIMIT \(CostTrends.maxPeriods)",
      purpose: "read closed periods"
    ).rows.map { try Period.parse(try $0.string("period_key")) }.reversed()
    return try keys.map { period in
      let turnovers = try connection.query(
        """
        SELECT dealer_id, segment, net_turnover_minor FROM period_dealers
        WHERE period_key = $1 ORDER BY dealer_id
        """, [period.description], purpose: "read turnovers of \(period)"
      ).rows.map { row in
        DealerTurnover(
          dealer: try row.string("dealer_id"), segment: try row.string("segment"),
          netTurnover: Money(minor: try row.int64("net_turnover_minor")))
      }
      return PeriodCostFacts(
        period: period, turnovers: turnovers, lines: try offInvoiceResults(period, dealer: nil))
    }
  }
}
