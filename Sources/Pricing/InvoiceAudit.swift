import RebateCore

/// An invoiced line checked against the price the policy gives: what the dealer was charged too
/// little (positive: money at stake for the manufacturer) or too much (negative).
public struct InvoiceLineAudit: Sendable, Hashable {
  public let expectedNetUnit: Money
  public let invoicedNetUnit: Money
  public let quantity: Int
  /// (expected − invoiced) × quantity.
  public let amountAtStake: Money

  public var matches: Bool { amountAtStake == .zero }
}

/// Compares an invoice line with the engine's quote for the same dealer, product, quantity, date.
public func auditLine(expected quote: Quote, invoicedNetUnit: Money) throws(PricingError)
  -> InvoiceLineAudit
{
  let (difference, overflow) = quote.netUnit.minor.subtractingReportingOverflow(
    invoicedNetUnit.minor)
  let (stake, overflowLine) = difference.multipliedReportingOverflow(by: Int64(quote.quantity))
  guard !overflow, !overflowLine else { throw .overflow("audit of \(quote.quantity) units") }
  return InvoiceLineAudit(
    expectedNetUnit: quote.netUnit, invoicedNetUnit: invoicedNetUnit, quantity: quote.quantity,
    amountAtStake: Money(minor: stake))
}
