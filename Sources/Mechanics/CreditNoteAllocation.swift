import RebateCore

/// A part of a rebate assigned to one invoice line, for the credit note that pays it out.
public struct AllocatedLine: Sendable, Hashable {
  public let invoiceNumber: String
  /// 1-based position of the line on its invoice.
  public let lineNumber: Int
  public let sku: String
  public let basis: Money
  public let amount: Money
}

/// Spreads a result line's amount over the dealer's invoice lines dated in its period (only the
/// group's lines when one is given) by largest remainder, so the parts sum exactly (E9). Lines
/// are in invoice date, number and line order, and remainder ties go to the earlier line.
public func allocateToInvoiceLines(
  _ line: ResultLine, invoices: [Invoice], productGroup: ProductGroup? = nil
) throws -> [AllocatedLine] {
  try MechanicsLimits.check(invoices.count, "invoices")
  let ordered = invoices.filter { $0.dealer == line.dealer && line.period.contains($0.day) }
    .sorted { ($0.day, $0.number) < ($1.day, $1.number) }
  var targets: [(invoice: String, lineNumber: Int, line: DocumentLine)] = []
  for invoice in ordered {
    for (index, documentLine) in invoice.lines.enumerated()
    where documentLine.netAmount.minor > 0 && (productGroup?.contains(documentLine) ?? true) {
      targets.append((invoice.number, index + 1, documentLine))
    }
  }
  guard !targets.isEmpty else {
    throw MechanicsError.emptyBasis("\(line.mechanic) of \(line.dealer) in \(line.period)")
  }
  let parts = try allocate(line.amount, overBases: targets.map(\.line.netAmount))
  return zip(targets, parts).map { target, part in
    AllocatedLine(
      invoiceNumber: target.invoice, lineNumber: target.lineNumber, sku: target.line.sku,
      basis: target.line.netAmount, amount: part)
  }
}
