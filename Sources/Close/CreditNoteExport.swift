import Mechanics
import RebateCore

/// The credit notes accounting books for a closed period: one `credit_note` row per dealer and
/// mechanic with a non-zero amount, followed by its `allocation` rows over the dealer's invoice
/// lines of the period (E9: largest remainder, the rows sum exactly to the credit note). A
/// mechanic restricted to a product group is spread over that group's lines only.
public enum CreditNoteExport {
  public static let header = CSVText.row([
    "record", "dealer", "period", "mechanic", "corrects_period", "invoice", "line", "sku", "basis",
    "amount",
  ])

  /// The rows of one dealer; `invoices` are the dealer's documents (others' are ignored).
  public static func rows(
    _ result: DealerResult, invoices: [Invoice], settings: CloseSettings
  ) throws -> String {
    var out = ""
    for line in result.lines where line.amount.minor != 0 {
      let corrects = correctedPeriod(line) ?? ""
      out += CSVText.row([
        "credit_note", line.dealer, line.period.description, line.mechanic, corrects, "", "", "",
        "", line.amount.description,
      ])
      for part in try allocation(line, invoices: invoices, settings: settings) {
        out += CSVText.row([
          "allocation", line.dealer, line.period.description, line.mechanic, corrects,
          part.invoiceNumber, part.lineNumber.map(String.init) ?? "", part.sku,
          part.basis.description, part.amount.description,
        ])
      }
    }
    return out
  }

  struct Part {
    let invoiceNumber: String
    let lineNumber: Int?
    let sku: String
    let basis: Money
    let amount: Money
  }

  /// A dealer without invoice lines in the period (only an adjustment, say) gets one
  /// `unallocated` part, so the credit note still balances.
  static func allocation(_ line: ResultLine, invoices: [Invoice], settings: CloseSettings) throws
    -> [Part]
  {
    let group = [settings.offInvoice.volumeBonus, settings.offInvoice.focusProducts]
      .compactMap { $0 }.first { $0.mechanic == line.mechanic }?.productGroup
    do {
      return try allocateToInvoiceLines(line, invoices: invoices, productGroup: group).map {
        Part(
          invoiceNumber: $0.invoiceNumber, lineNumber: $0.lineNumber, sku: $0.sku, basis: $0.basis,
          amount: $0.amount)
      }
    } catch MechanicsError.emptyBasis {
      return [
        Part(
          invoiceNumber: "", lineNumber: nil, sku: "unallocated", basis: .zero, amount: line.amount)
      ]
    }
  }
}
