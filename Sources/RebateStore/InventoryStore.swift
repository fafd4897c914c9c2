import PostgresClient
import RebateCore
import SellOut

extension SellOutStore {
  /// Invoice lines shipped to the dealer before `before`: the layers of its channel inventory.
  public func shipments(dealer: String, before: Day, sku: String? = nil) throws -> [Shipment] {
    try connection.query(
      """
      SELECT i.issued_on::text AS issued_on, i.document, l.sku, l.qty, l.net_unit_price_minor
      FROM invoices i
      JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
      WHERE i.dealer_id = $1 AND i.kind = 'invoice' AND i.issued_on < $2::date
        AND ($3::text IS NULL OR l.sku = $3)
      ORDER BY i.issued_on, i.document, l.line
      """, [dealer, before.description, sku], purpose: "read shipments to \(dealer)"
    ).rows.map { row in
      Shipment(
        day: try Day.parse(try row.string("issued_on")), document: try row.string("document"),
        sku: try row.string("sku"), quantity: try row.int64("qty"),
        netUnitPrice: Money(minor: try row.int64("net_unit_price_minor")).exact)
    }
  }

  /// Credit note lines before `before`. Every credit note line counts as goods returned: the
  /// import format has no separate price-only credit (docs/DECISIONS.md).
  public func creditedReturns(dealer: String, before: Day, sku: String? = nil) throws
    -> [CreditedReturn]
  {
    try connection.query(
      """
      SELECT i.issued_on::text AS issued_on, i.document, i.refers_to, l.sku, l.qty
      FROM invoices i
      JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
      WHERE i.dealer_id = $1 AND i.kind = 'credit_note' AND i.issued_on < $2::date
        AND ($3::text IS NULL OR l.sku = $3)
      ORDER BY i.issued_on, i.document, l.line
      """, [dealer, before.description, sku], purpose: "read credited returns of \(dealer)"
    ).rows.map { row in
      CreditedReturn(
        day: try Day.parse(try row.string("issued_on")), document: try row.string("document"),
        sku: try row.string("sku"), quantity: try row.int64("qty"),
        shipmentDocument: try row.optionalString("refers_to"))
    }
  }

  /// The dealer's stock at the start of `day`, per SKU: shipments − credited returns − the
  /// current versions of its sell-out reports, sales taking the oldest layers first.
  public func inventory(dealer: String, on day: Day, sku: String? = nil) throws
    -> [String: SKUInventory]
  {
    try requireDealer(dealer)
    return ChannelInventory.at(
      day, shipments: try shipments(dealer: dealer, before: day, sku: sku),
      returns: try creditedReturns(dealer: dealer, before: day, sku: sku),
      sales: try sales(dealer: dealer, before: day, sku: sku))
  }
}
