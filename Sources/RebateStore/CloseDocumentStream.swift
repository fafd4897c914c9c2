import Foundation
import Mechanics
import PostgresClient
import RebateCore

/// One dealer's documents as the close stream delivers them: invoices and credit notes with
/// their lines, and payments, each list in date then number order.
struct DealerBatch: Sendable {
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

/// Streams every dealer's documents of a date window in dealer order, one dealer at a time:
/// invoice lines through ONE `COPY ... TO STDOUT` read straight off the primary-key indexes (no
/// sort), payments through a second COPY on a connection and thread of their own
/// (`PaymentStream`), merged by dealer. Products come
/// from a map read once, so the stream needs no join.
struct CloseDocumentStream {
  let documents: Connection
  /// nil: payments are read whole before the documents stream (one connection fewer).
  let payments: Connection?
  let from: Day
  let through: Day
  let paymentsThrough: Day

  /// Column positions of the document rows.
  private enum Column {
    static let dealer = 0, number = 1, kind = 2, day = 3, due = 4, vat = 5, reference = 6
    static let sku = 7, quantity = 8, list = 9, netUnit = 10, net = 11, count = 12
  }

  // The window's dates reach the SQL as settings of the stream's transactions, set through
  // parameters (COPY takes no bind parameters of its own), and are read back by
  // `close_window_day`, which the planner folds to constants (schema/080_close_window.sql).
  static let documentsSQL = """
    COPY (
      SELECT l.dealer_id, l.document, i.kind, i.issued_on, i.due_on, trim_scale(i.vat_percent / 100),
        i.refers_to, l.sku, l.qty, l.list_price_minor, l.net_unit_price_minor, l.net_amount_minor
      FROM invoice_lines l
      JOIN invoices i ON i.dealer_id = l.dealer_id AND i.document = l.document
      WHERE i.issued_on BETWEEN close_window_day('window_from')
        AND close_window_day('window_through')
      ORDER BY l.dealer_id, l.document, l.line
    ) TO STDOUT
    """

  static let paymentsSQL = """
    SELECT dealer_id, payment, paid_on::text AS paid_on, gross_amount_minor, invoice
    FROM payments
    WHERE paid_on BETWEEN close_window_day('window_from')
      AND close_window_day('payments_through')
    ORDER BY dealer_id, payment
    """

  /// Inside a transaction on `connection`: the window's dates, and a plan that streams in key
  /// order from the first row. Left to itself the planner may hash-join and sort (or run parallel
  /// workers), so no dealer could start until the whole window is read and sorted.
  static func prepare(
    _ connection: Connection, from: Day, through: Day, paymentsThrough: Day
  ) throws {
    try connection.execute(
      """
      SELECT set_config('rebate.window_from', $1, true),
        set_config('rebate.window_through', $2, true),
        set_config('rebate.payments_through', $3, true)
      """, [from.description, through.description, paymentsThrough.description],
      purpose: "set the close window")
    for setting in [
      "jit = off", "enable_hashjoin = off", "enable_sort = off",
      "max_parallel_workers_per_gather = 0",
    ] {
      try connection.execute("SET LOCAL \(setting)", purpose: "plan the close stream")
    }
  }

  /// Calls `each` once per dealer with documents, in dealer order.
  func run(_ each: (DealerBatch) throws -> Void) throws {
    let products = try productMap()
    let (from, through, paymentsThrough) = (from, through, paymentsThrough)
    try documents.transaction(purpose: "stream documents \(from)...\(through)") { documents in
      try Self.prepare(
        documents, from: from, through: through, paymentsThrough: paymentsThrough)
      guard let payments else {
        var feed = try PaymentFeed(loadedFrom: documents)
        return try streamDocuments(products, feed: &feed, each)
      }
      let stream = PaymentStream(connection: payments, sql: Self.paymentsSQL) { connection in
        try Self.prepare(
          connection, from: from, through: through, paymentsThrough: paymentsThrough)
      }
      defer { stream.stop() }
      var feed = PaymentFeed(stream: stream)
      try streamDocuments(products, feed: &feed, each)
    }
  }

  private func streamDocuments(
    _ products: [String: (category: String, brand: String)], feed: inout PaymentFeed,
    _ each: (DealerBatch) throws -> Void
  ) throws {
    var assembler = Assembler(products: products)
    var row = CopyRow()
    func deliver(_ batch: DealerBatch, _ feed: inout PaymentFeed) throws {
      var complete = batch
      complete.payments = try feed.take(dealer: batch.dealer)
      try each(complete)
    }
    try documents.copyOut(Self.documentsSQL, purpose: "stream documents \(from)...\(through)") {
      raw in
      row.load(raw)
      guard row.count == Column.count else {
        throw CloseStoreError.badRow("document stream", reason: "\(row.count) fields")
      }
      if let finished = try assembler.add(row) { try deliver(finished, &feed) }
    }
    if let last = try assembler.finish() { try deliver(last, &feed) }
  }

  private func productMap() throws -> [String: (category: String, brand: String)] {
    var map: [String: (category: String, brand: String)] = [:]
    for row in try documents.query(
      "SELECT sku, category, brand FROM products", purpose: "read products"
    ).rows {
      let sku = try row.string("sku")
      let kind = (category: try row.string("category"), brand: try row.string("brand"))
      guard map.updateValue(kind, forKey: sku) == nil else {
        throw StoreError.sameText(table: "products", what: "SKUs", sku)
      }
    }
    return map
  }

  /// Payments in dealer order, taken from the payment stream as the documents advance.
  private struct PaymentFeed {
    /// nil: every payment of the window is in `buffer` already.
    let stream: PaymentStream?
    var buffer: [(dealer: String, payment: Payment)] = []
    var position = 0
    var exhausted = false

    init(stream: PaymentStream) { self.stream = stream }

    init(loadedFrom connection: Connection) throws {
      stream = nil
      var all: [(dealer: String, payment: Payment)] = []
      try PaymentStream.read(CloseDocumentStream.paymentsSQL, on: connection) {
        all.append(contentsOf: $0)
      }
      buffer = all
      exhausted = true
    }

    /// The payments of `dealer`; payments of dealers before it (no documents in the window)
    /// are skipped: without invoices they settle nothing.
    mutating func take(dealer: String) throws -> [Payment] {
      var taken: [Payment] = []
      while true {
        if position == buffer.count {
          guard !exhausted else { return taken }
          try refill()
          continue
        }
        let next = buffer[position]
        if next.dealer > dealer { return taken }
        if next.dealer == dealer { taken.append(next.payment) }
        position += 1
      }
    }

    private mutating func refill() throws {
      guard let chunk = try stream?.next() else {
        exhausted = true
        return
      }
      buffer = chunk
      position = 0
    }
  }

  /// Turns rows into documents; a dealer is complete when the next dealer's first row arrives.
  private struct Assembler {
    let products: [String: (category: String, brand: String)]
    var batch: DealerBatch?
    var header:
      (number: String, kind: String, day: Day, due: Day?, vat: ExactDecimal, reference: String?)?
    var lines: [DocumentLine] = []
    var vatCache: [String: ExactDecimal] = [:]

    init(products: [String: (category: String, brand: String)]) { self.products = products }

    mutating func add(_ row: CopyRow) throws -> DealerBatch? {
      guard let dealer = row.string(Column.dealer), let number = row.string(Column.number),
        let day = row.day(Column.day)
      else {
        throw CloseStoreError.badRow("document stream", reason: "missing dealer, number or date")
      }
      var finished: DealerBatch?
      if batch?.dealer != dealer {
        try finishDocument()
        finished = batch
        batch = DealerBatch(dealer: dealer)
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
      // invoice_lines has no foreign key (import speed): the importer checks products, and a row
      // written around it is named here rather than priced without a category.
      guard let product = products[sku] else {
        throw CloseStoreError.badRow(
          "document \(number)", reason: "product \(sku) is not in master data")
      }
      lines.append(
        DocumentLine(
          sku: sku, category: product.category, brand: product.brand, quantity: quantity,
          listPrice: Money(minor: list).exact, netUnitPrice: Money(minor: netUnit).exact,
          netAmount: Money(minor: net)))
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
