import Foundation
import Mechanics
import PostgresClient
import RebateCore

/// One dealer's documents as the close stream delivers them: invoices and credit notes with
/// their lines, and payments, each list in date then number order.
struct DealerBatch {
  let dealer: String
  var invoices: [Invoice] = []
  var creditNotes: [CreditNote] = []
  var payments: [Payment] = []

  /// The documents dated up to `through` (payments up to `paymentsThrough`). A reference to an
  /// invoice outside the loaded window is dropped, so the amount settles the oldest open invoices
  /// instead of failing the whole close (docs/period-close.md).
  func upTo(_ through: Day, paymentsThrough: Day) -> DealerBatch {
    var batch = DealerBatch(dealer: dealer)
    batch.invoices = invoices.filter { $0.day <= through }
    let known = Set(batch.invoices.map(\.number))
    batch.creditNotes = creditNotes.filter { $0.day <= through }.map { note in
      guard let reference = note.invoiceNumber, !known.contains(reference) else { return note }
      return CreditNote(
        number: note.number, dealer: note.dealer, day: note.day, vatRate: note.vatRate,
        lines: note.lines)
    }
    batch.payments = payments.filter { $0.day <= paymentsThrough }.map { payment in
      guard let reference = payment.invoiceNumber, !known.contains(reference) else {
        return payment
      }
      return Payment(
        id: payment.id, dealer: payment.dealer, day: payment.day,
        grossAmount: payment.grossAmount)
    }
    return batch
  }
}

/// Streams every dealer's documents of a date window through ONE `COPY ... TO STDOUT`, ordered
/// by dealer, so a close holds one dealer in memory at a time.
struct CloseDocumentStream {
  let connection: Connection
  let from: Day
  let through: Day
  let paymentsThrough: Day
  /// Restricts the stream to one dealer (statements, tests); nil streams all.
  let dealer: String?

  /// Column positions of the stream's rows.
  private enum Column {
    static let dealer = 0, part = 1, number = 2, kind = 3, day = 4, due = 5, vat = 6
    static let reference = 7, sku = 8, category = 9, brand = 10, quantity = 11, list = 12
    static let netUnit = 13, net = 14, gross = 15, count = 16
  }

  var sql: String {
    let dealerFilter =
      dealer.map { " AND dealer_id = '\($0.replacingOccurrences(of: "'", with: "''"))'" } ?? ""
    return """
      COPY (
        SELECT i.dealer_id, 0 AS part, i.document, i.kind, i.issued_on, i.due_on,
          trim_scale(i.vat_percent / 100), i.refers_to, l.sku, p.category, p.brand, l.qty,
          l.list_price_minor, l.net_unit_price_minor, l.net_amount_minor, NULL::bigint, l.line
        FROM invoices i
        JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
        JOIN products p ON p.sku = l.sku
        WHERE i.issued_on BETWEEN '\(from)' AND '\(through)'\(dealerFilter.replacingOccurrences(of: "dealer_id", with: "i.dealer_id"))
        UNION ALL
        SELECT dealer_id, 1, payment, NULL, paid_on, NULL, NULL, invoice, NULL, NULL, NULL, NULL,
          NULL, NULL, NULL, gross_amount_minor, NULL
        FROM payments WHERE paid_on BETWEEN '\(from)' AND '\(paymentsThrough)'\(dealerFilter)
        ORDER BY 1, 2, 3, 17
      ) TO STDOUT
      """
  }

  /// Calls `each` once per dealer, in dealer order.
  func run(_ each: (DealerBatch) throws -> Void) throws {
    var assembler = Assembler()
    var row = CopyRow()
    try connection.copyOut(sql, purpose: "stream documents \(from)...\(through)") { raw in
      row.load(raw)
      guard row.count == Column.count + 1 else {
        throw CloseStoreError.badRow("document stream", reason: "\(row.count) fields")
      }
      if let finished = try assembler.add(row) { try each(finished) }
    }
    if let last = try assembler.finish() { try each(last) }
  }

  /// Turns rows into documents; a dealer is complete when the next dealer's first row arrives.
  private struct Assembler {
    var batch: DealerBatch?
    var header:
      (number: String, kind: String, day: Day, due: Day?, vat: ExactDecimal, reference: String?)?
    var lines: [DocumentLine] = []
    var vatCache: [String: ExactDecimal] = [:]

    mutating func add(_ row: CopyRow) throws -> DealerBatch? {
      guard let dealer = row.string(Column.dealer), let part = row.int64(Column.part),
        let number = row.string(Column.number), let day = row.day(Column.day)
      else {
        throw CloseStoreError.badRow("document stream", reason: "missing dealer, number or date")
      }
      var finished: DealerBatch?
      if batch?.dealer != dealer {
        try finishDocument()
        finished = batch
        batch = DealerBatch(dealer: dealer)
      }
      if part == 1 {
        try finishDocument()
        guard let gross = row.int64(Column.gross) else {
          throw CloseStoreError.badRow("payment \(number)", reason: "no amount")
        }
        batch!.payments.append(
          Payment(
            id: number, dealer: dealer, day: day, grossAmount: Money(minor: gross),
            invoiceNumber: row.string(Column.reference)))
        return finished
      }
      if header?.number != number {
        try finishDocument()
        let vatText = row.string(Column.vat) ?? ""
        let vat = try vatCache[vatText] ?? ExactDecimal.parse(vatText)
        vatCache[vatText] = vat
        header = (
          number, row.string(Column.kind) ?? "", day, row.day(Column.due), vat,
          row.string(Column.reference)
        )
      }
      guard let sku = row.string(Column.sku), let quantity = row.int64(Column.quantity),
        let list = row.int64(Column.list), let netUnit = row.int64(Column.netUnit),
        let net = row.int64(Column.net)
      else { throw CloseStoreError.badRow("document \(number)", reason: "incomplete line") }
      lines.append(
        DocumentLine(
          sku: sku, category: row.string(Column.category) ?? "",
          brand: row.string(Column.brand) ?? "",
          quantity: quantity, listPrice: Money(minor: list).exact,
          netUnitPrice: Money(minor: netUnit).exact, netAmount: Money(minor: net)))
      return finished
    }

    mutating func finish() throws -> DealerBatch? {
      try finishDocument()
      return batch
    }

    private mutating func finishDocument() throws {
      guard let header, let dealer = batch?.dealer else { return }
      if header.kind == "invoice" {
        guard let due = header.due else {
          throw CloseStoreError.badRow("invoice \(header.number)", reason: "no due date")
        }
        batch!.invoices.append(
          Invoice(
            number: header.number, dealer: dealer, day: header.day, dueDay: due,
            vatRate: header.vat, lines: lines))
      } else {
        batch!.creditNotes.append(
          CreditNote(
            number: header.number, dealer: dealer, day: header.day, vatRate: header.vat,
            lines: lines, invoiceNumber: header.reference))
      }
      self.header = nil
      lines.removeAll(keepingCapacity: true)
    }
  }
}
