import Policy
import PostgresClient
import Pricing
import RebateCore

/// An invoice line whose net unit price is not what the dealer's terms give on its date.
public struct OffTermsLine: Sendable, Hashable {
  public let dealer: String
  public let document: String
  public let line: Int
  public let day: Day
  public let sku: String
  public let termsVersion: Int
  /// Expected and invoiced net unit, quantity and (expected − invoiced) × quantity.
  public let audit: InvoiceLineAudit
}

/// The invoice lines of a period checked against the dealers' terms (price leakage).
public struct InvoiceAuditReport: Sendable {
  public let period: Period
  /// Per-unit differences up to this are counted apart and not listed (an ERP that rounds
  /// differently); 0.00 lists every difference.
  public let tolerance: Money
  public var linesChecked = 0
  public var withinToleranceCount = 0
  public var withinToleranceAmount = Money.zero
  public var offTermsCount = 0
  /// Charged less than the terms give: money the manufacturer lost.
  public var belowTermsCount = 0
  public var belowTermsAmount = Money.zero
  /// Charged more than the terms give: money owed back to dealers.
  public var aboveTermsCount = 0
  public var aboveTermsAmount = Money.zero
  /// The first `listLimit` off-terms lines, by dealer, document and line.
  public var listed: [OffTermsLine] = []
  /// Lines that could not be priced, by reason (no terms in force, no list price, a pricing
  /// refusal's code).
  public var notChecked: [String: Int] = [:]

  /// Σ (expected − invoiced net unit) × qty over every off-terms line.
  public var netAtStake: Money { Money(minor: belowTermsAmount.minor + aboveTermsAmount.minor) }
}

/// Runs the invoice audit: every invoice line (credit notes are not priced by terms) dated in the
/// period is priced as `rebate quote` would price it on the invoice date, through
/// `LineQuoteStore.price` and `auditLine`, and compared with what was invoiced.
public enum InvoiceAuditStore {
  /// Lines fetched per round trip: memory stays bounded however large the period.
  static let batchRows = 5_000
  public static let maxListLimit = 100_000

  public static func audit(
    _ period: Period, tolerance: Money = .zero, listLimit: Int, connection: Connection
  ) throws -> InvoiceAuditReport {
    precondition((0...maxListLimit).contains(listLimit), "list limit out of range")
    precondition(tolerance.minor >= 0, "a tolerance is not negative")
    let context = try AuditContext(connection: connection)
    var report = InvoiceAuditReport(period: period, tolerance: tolerance)
    try connection.transaction(purpose: "audit invoices of \(period)") { connection in
      // DECLARE takes bind parameters through the extended protocol, like any other query.
      try connection.execute(
        """
        DECLARE audit_lines NO SCROLL CURSOR FOR
        SELECT l.dealer_id, l.document, l.line, i.issued_on::text AS issued_on, l.sku, l.qty,
          l.net_unit_price_minor
        FROM invoices i JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
        WHERE i.kind = 'invoice'
          AND i.issued_on BETWEEN $1::date AND $2::date
        ORDER BY l.dealer_id, l.document, l.line
        """, [period.firstDay.description, period.lastDay.description],
        purpose: "open the invoice lines of \(period)")
      while true {
        let batch = try connection.query(
          "FETCH \(batchRows) FROM audit_lines", purpose: "read invoice lines of \(period)")
        for row in batch.rows {
          try check(row, context: context, listLimit: listLimit, into: &report)
        }
        if batch.rowCount < batchRows { break }
      }
      try connection.execute("CLOSE audit_lines", purpose: "close the invoice lines cursor")
    }
    return report
  }

  static func check(
    _ row: Row, context: AuditContext, listLimit: Int, into report: inout InvoiceAuditReport
  ) throws {
    let dealer = try row.string("dealer_id")
    let document = try row.string("document")
    let lineNumber = try row.int("line")
    let sku = try row.string("sku")
    let day: Day
    do { day = try Day.parse(try row.string("issued_on")) } catch {
      throw StoreError.corruptValue(
        table: "invoices", key: "\(dealer) \(document)", reason: "\(error)")
    }
    let expected: (DealerTerms, Quote)
    switch try context.expected(
      dealer: dealer, sku: sku, quantity: try row.int("qty"), on: day)
    {
    case .failure(let reason):
      report.notChecked[reason.description, default: 0] += 1
      return
    case .success(let priced): expected = priced
    }
    let audit: InvoiceLineAudit
    do {
      audit = try auditLine(
        expected: expected.1, invoicedNetUnit: Money(minor: try row.int64("net_unit_price_minor")))
    } catch let error as PricingError {
      throw TermsStoreError.rule(code: error.code, description: error.description)
    }
    report.linesChecked += 1
    guard !audit.matches else { return }
    let perUnit = audit.expectedNetUnit.minor - audit.invoicedNetUnit.minor
    guard perUnit.magnitude > report.tolerance.minor.magnitude else {
      report.withinToleranceCount += 1
      report.withinToleranceAmount = try report.withinToleranceAmount.adding(audit.amountAtStake)
      return
    }
    report.offTermsCount += 1
    if audit.amountAtStake.minor > 0 {
      report.belowTermsCount += 1
      report.belowTermsAmount = try report.belowTermsAmount.adding(audit.amountAtStake)
    } else {
      report.aboveTermsCount += 1
      report.aboveTermsAmount = try report.aboveTermsAmount.adding(audit.amountAtStake)
    }
    if report.listed.count < listLimit {
      report.listed.append(
        OffTermsLine(
          dealer: dealer, document: document, line: lineNumber, day: day, sku: sku,
          termsVersion: expected.0.version, audit: audit))
    }
  }
}

/// What the audit reads once: dealers, products with their price history, every dealer's terms.
final class AuditContext {
  struct Product {
    let category: String
    let brand: String
    let costMinor: Int64
    /// (first day, list price), oldest first.
    var prices: [(Day, Int64)] = []
  }

  let connection: Connection
  let dealers: [String: DealerAttributes]
  var products: [String: Product] = [:]
  let terms: [String: [DealerTerms]]
  let engines = PolicyEngines()

  init(connection: Connection) throws {
    self.connection = connection
    var dealers: [String: DealerAttributes] = [:]
    for row in try connection.query(
      "SELECT dealer_id, \(DealerAttributes.columns) FROM dealers",
      purpose: "read dealers for the audit"
    ).rows {
      let code = try row.string("dealer_id")
      guard dealers.updateValue(try DealerAttributes(row: row), forKey: code) == nil else {
        throw StoreError.sameText(table: "dealers", what: "dealer codes", code)
      }
    }
    self.dealers = dealers
    terms = try DealerTermsStore.allHistories(on: connection)
    for row in try connection.query(
      "SELECT sku, category, brand, unit_cost_minor FROM products", purpose: "read products"
    ).rows {
      let sku = try row.string("sku")
      let product = Product(
        category: try row.string("category"), brand: try row.string("brand"),
        costMinor: try row.int64("unit_cost_minor"))
      guard products.updateValue(product, forKey: sku) == nil else {
        throw StoreError.sameText(table: "products", what: "SKUs", sku)
      }
    }
    for row in try connection.query(
      """
      SELECT sku, effective_from::text AS effective_from, list_price_minor FROM price_list
      ORDER BY sku, effective_from
      """, purpose: "read the price list"
    ).rows {
      let sku = try row.string("sku")
      let from: Day
      do { from = try Day.parse(try row.string("effective_from")) } catch {
        throw StoreError.corruptValue(table: "price_list", key: sku, reason: "\(error)")
      }
      products[sku]?.prices.append((from, try row.int64("list_price_minor")))
    }
  }

  /// The terms in force and the quote they give, or why the line cannot be priced.
  func expected(dealer: String, sku: String, quantity: Int, on day: Day) throws -> Result<
    (DealerTerms, Quote), AuditSkip
  > {
    guard let attributes = dealers[dealer],
      let terms = TermsDesk.inForce(self.terms[dealer] ?? [], dealer: dealer, on: day)
    else { return .failure(.noTerms) }
    guard let product = products[sku],
      let listMinor = product.prices.last(where: { $0.0 <= day })?.1
    else { return .failure(.noListPrice) }
    let info = ProductInfo(
      sku: sku, category: product.category, brand: product.brand,
      listPrice: Money(minor: listMinor), cost: Money(minor: product.costMinor))
    let (_, engine) = try engines.engine(
      id: terms.policyID, version: terms.policyVersion, on: connection)
    do {
      let quote = try LineQuoteStore.price(
        engine: engine, terms: terms, dealer: attributes, product: info, quantity: quantity,
        on: day)
      return .success((terms, quote))
    } catch let error as TermsStoreError {
      return .failure(.refused(error.code))
    }
  }
}

/// Why a line was not priced; its text is the report's key.
enum AuditSkip: Error, CustomStringConvertible {
  case noTerms, noListPrice
  case refused(String)

  var description: String {
    switch self {
    case .noTerms: return "no approved terms in force on the invoice date"
    case .noListPrice: return "no list price on the invoice date"
    case .refused(let code): return "the engine refused to price it (\(code))"
    }
  }
}
