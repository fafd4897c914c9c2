import Close
import PostgresClient
import Pricing
import RebateCore
import SellOut

/// What the period close reads for the sell-out mechanics (E7, E8), for every dealer at once
/// (one query each, prefetched before the close streams documents) or for one dealer. The close
/// computes shipments and returns from the invoices and credit notes it already holds.
extension SellOutStore {
  /// E7 and E8 inputs per dealer that has reported: its submissions for every month up to the
  /// period's end, how far its reports cover without a gap, and the current sell-out lines dated
  /// up to the period's end of the SKUs whose list price changes in the period (the only sales
  /// price protection looks at; the rest would only cost memory).
  public func sellOutData(period: Period, dealer: String? = nil) throws -> [String: SellOutData] {
    let last = Period.containing(period.lastDay, grain: .month)
    var histories: [String: SubmissionHistory] = [:]
    var firstMonths: [String: Period] = [:]
    for row in try connection.query(
      """
      SELECT s.dealer_id, to_char(s.report_month, 'YYYY-MM') AS month, s.raw_sha256,
        (s.submitted_at AT TIME ZONE 'UTC')::date::text AS received,
        (SELECT count(*) FROM sellout_lines l WHERE l.dealer_id = s.dealer_id
          AND l.report_month = s.report_month AND l.version = s.version) AS lines
      FROM sellout_submissions s
      WHERE s.report_month <= $1::date AND ($2::text IS NULL OR s.dealer_id = $2)
      ORDER BY s.dealer_id, s.report_month, s.version
      """, [last.firstDay.description, dealer], purpose: "read sell-out submissions up to \(last)"
    ).rows {
      let code = try row.string("dealer_id")
      let month = try Period.parse(try row.string("month"))
      if firstMonths[code] == nil { firstMonths[code] = month }
      _ = try histories[code, default: SubmissionHistory()].record(
        dealer: code, month: month, sha256: try row.string("raw_sha256"),
        receivedOn: try Day.parse(try row.string("received")), lineCount: try row.int("lines"))
    }
    var sales: [String: [SoldOut]] = [:]
    for row in try connection.query(
      """
      SELECT l.dealer_id, l.sold_on::text AS sold_on, l.sku, sum(l.qty)::bigint AS qty
      FROM sellout_lines l
      JOIN (SELECT dealer_id, report_month, max(version) AS version FROM sellout_submissions
        WHERE report_month <= $2::date AND ($3::text IS NULL OR dealer_id = $3)
        GROUP BY dealer_id, report_month) c
        ON c.dealer_id = l.dealer_id AND c.report_month = l.report_month
          AND c.version = l.version
      WHERE l.sold_on <= $2::date
        AND l.sku IN (SELECT sku FROM price_changes WHERE effective_date BETWEEN $1::date AND $2::date)
      GROUP BY l.dealer_id, l.sold_on, l.sku ORDER BY l.dealer_id, l.sold_on, l.sku
      """, [period.firstDay.description, period.lastDay.description, dealer],
      purpose: "read sell-out of SKUs repriced in \(period)"
    ).rows {
      sales[try row.string("dealer_id"), default: []].append(
        SoldOut(
          day: try Day.parse(try row.string("sold_on")), sku: try row.string("sku"),
          quantity: try row.int64("qty")))
    }
    return histories.reduce(into: [:]) { result, entry in
      let (code, history) = entry
      result[code] = SellOutData(
        history: history, sales: sales[code] ?? [],
        coveredThrough: history.coveredThrough(dealer: code, from: firstMonths[code]!))
    }
  }

  /// E8 inputs per dealer: every list price DROP effective in the period of a SKU the dealer
  /// was shipped before the drop, with the dealer's new net unit price from `newNetUnitPrice`
  /// (dealer, the product at its new list price, the effective day).
  public func priceDrops(
    period: Period, dealer: String? = nil,
    newNetUnitPrice: (String, ProductInfo, Day) throws -> ExactDecimal
  ) throws -> [String: [PriceDrop]] {
    var drops: [String: [PriceDrop]] = [:]
    for row in try connection.query(
      """
      WITH drops AS (
        SELECT c.sku, c.effective_date, c.new_list_price_minor, previous.price AS old_price
        FROM price_changes c
        CROSS JOIN LATERAL (
          SELECT price FROM (
            SELECT effective_from AS day, list_price_minor AS price FROM price_list
            WHERE sku = c.sku AND effective_from < c.effective_date
            UNION ALL
            SELECT effective_date, new_list_price_minor FROM price_changes
            WHERE sku = c.sku AND effective_date < c.effective_date) earlier
          ORDER BY day DESC LIMIT 1) previous
        WHERE c.effective_date BETWEEN $1::date AND $2::date
          AND c.new_list_price_minor < previous.price)
      SELECT DISTINCT i.dealer_id, d.sku, d.effective_date::text AS effective,
        d.new_list_price_minor, d.old_price, p.category, p.brand, p.unit_cost_minor
      FROM drops d
      JOIN products p ON p.sku = d.sku
      JOIN invoice_lines l ON l.sku = d.sku
      JOIN invoices i ON i.dealer_id = l.dealer_id AND i.document = l.document
      WHERE i.kind = 'invoice' AND i.issued_on < d.effective_date
        AND ($3::text IS NULL OR i.dealer_id = $3)
      ORDER BY i.dealer_id, effective, d.sku
      """, [period.firstDay.description, period.lastDay.description, dealer],
      purpose: "read price drops in \(period)"
    ).rows {
      let code = try row.string("dealer_id")
      let sku = try row.string("sku")
      let effective = try Day.parse(try row.string("effective"))
      let newList = Money(minor: try row.int64("new_list_price_minor"))
      let product = ProductInfo(
        sku: sku, category: try row.string("category"), brand: try row.string("brand"),
        listPrice: newList, cost: Money(minor: try row.int64("unit_cost_minor")))
      let change = PriceChange(
        sku: sku, effective: effective, document: "PC-\(sku)-\(effective)",
        oldListPrice: Money(minor: try row.int64("old_price")), newListPrice: newList)
      drops[code, default: []].append(
        PriceDrop(change: change, newNetUnitPrice: try newNetUnitPrice(code, product, effective)))
    }
    return drops
  }

  /// The dealer's new net unit price through its cascade: one unit (no quantity step applies to
  /// a unit left in stock) at the new list price on the effective day.
  public static func netUnitPrice(
    engine: PriceEngine, profile: Pricing.DealerProfile, product: ProductInfo, on day: Day
  ) throws -> ExactDecimal {
    try engine.quote(dealer: profile, product: product, quantity: 1, on: day).netUnit.exact
  }
}
