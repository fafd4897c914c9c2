import RebateCore

/// A part of one payment that settles a part of one invoice.
public struct Settlement: Sendable, Hashable {
  public let paymentID: String
  public let invoiceNumber: String
  public let dealer: String
  public let gross: Money
  /// `gross` converted to net at the invoice's own net/gross proportion.
  public let net: Money
  public let paymentDay: Day
  public let invoiceDay: Day
  public let dueDay: Day

  /// Negative for a prepayment (paid before the invoice date).
  public var daysAfterInvoice: Int { invoiceDay.days(until: paymentDay) }
  public var daysLate: Int { max(0, dueDay.days(until: paymentDay)) }
  public var isPrepayment: Bool { paymentDay < invoiceDay }
  public var paidByDueDay: Bool { paymentDay <= dueDay }
}

/// A part of a credit note that reduces what an invoice owes.
public struct InvoiceCredit: Sendable, Hashable {
  public let creditNoteNumber: String
  public let invoiceNumber: String
  public let dealer: String
  public let gross: Money
  public let net: Money
}

/// Money on a dealer's account that no invoice absorbed (an overpayment, a credit note larger
/// than what was open). It stays a credit for invoices not yet loaded.
public struct UnappliedAmount: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable { case payment, creditNote = "credit_note" }
  public let kind: Kind
  public let number: String
  public let dealer: String
  public let day: Day
  public let gross: Money
}

/// What an invoice still owes after every credit note and payment.
public struct OpenInvoice: Sendable, Hashable {
  public let invoiceNumber: String
  public let dealer: String
  public let gross: Money
  public let net: Money
}

public struct PaymentAllocation: Sendable {
  public let settlements: [Settlement]
  public let credits: [InvoiceCredit]
  public let unapplied: [UnappliedAmount]
  public let openInvoices: [OpenInvoice]

  /// Matches payments and credit notes to invoices.
  ///
  /// Credit notes are applied first, whatever their date: they correct the invoice, so a
  /// payment that covered the original amount becomes an overpayment. Then payments in date
  /// order (then id): an explicit reference settles that invoice first; the rest goes to the
  /// dealer's oldest open invoices (date, then number), including invoices dated after the
  /// payment (a prepayment, or an earlier overpayment carried forward). Gross converts to net
  /// at the invoice's proportion of what it still owes, so a full settlement is exactly net.
  public init(invoices: [Invoice], creditNotes: [CreditNote], payments: [Payment]) throws {
    try MechanicsLimits.check(invoices.count, "invoices")
    try MechanicsLimits.check(creditNotes.count, "credit notes")
    try MechanicsLimits.check(payments.count, "payments")
    var ledger = try Ledger(invoices: invoices)
    var credits: [InvoiceCredit] = []
    var unapplied: [UnappliedAmount] = []
    try checkUnique(creditNotes.map(\.number), kind: "credit note")
    for note in creditNotes.sorted(by: { ($0.day, $0.number) < ($1.day, $1.number) }) {
      let parts = try ledger.apply(
        gross: note.grossAmount(), dealer: note.dealer, reference: note.invoiceNumber,
        document: "credit note \(note.number)")
      credits += parts.taken.map {
        InvoiceCredit(
          creditNoteNumber: note.number, invoiceNumber: $0.invoice, dealer: note.dealer,
          gross: $0.gross, net: $0.net)
      }
      if parts.left.minor > 0 {
        unapplied.append(
          UnappliedAmount(
            kind: .creditNote, number: note.number, dealer: note.dealer, day: note.day,
            gross: parts.left))
      }
    }
    var settlements: [Settlement] = []
    try checkUnique(payments.map(\.id), kind: "payment")
    for payment in payments.sorted(by: { ($0.day, $0.id) < ($1.day, $1.id) }) {
      guard payment.grossAmount.minor > 0 else {
        throw MechanicsError.invalidDocument(
          "payment \(payment.id)", reason: "amount is not positive")
      }
      let parts = try ledger.apply(
        gross: payment.grossAmount, dealer: payment.dealer, reference: payment.invoiceNumber,
        document: "payment \(payment.id)")
      settlements += parts.taken.map { part in
        let invoice = ledger.invoice(part.invoice)
        return Settlement(
          paymentID: payment.id, invoiceNumber: part.invoice, dealer: payment.dealer,
          gross: part.gross, net: part.net, paymentDay: payment.day, invoiceDay: invoice.day,
          dueDay: invoice.dueDay)
      }
      if parts.left.minor > 0 {
        unapplied.append(
          UnappliedAmount(
            kind: .payment, number: payment.id, dealer: payment.dealer, day: payment.day,
            gross: parts.left))
      }
    }
    self.settlements = settlements
    self.credits = credits
    self.unapplied = unapplied
    self.openInvoices = ledger.openInvoices
  }
}

private func checkUnique(_ numbers: [String], kind: String) throws(MechanicsError) {
  var seen: Set<String> = []
  for number in numbers where !seen.insert(number).inserted {
    throw .duplicateDocument("\(kind) \(number)")
  }
}

/// What each invoice still owes, gross and net, with each dealer's invoices oldest first.
private struct Ledger {
  struct Account {
    let invoice: Invoice
    var grossOwed: Money
    var netOwed: Money
  }
  struct Part {
    let invoice: String
    let gross: Money
    let net: Money
  }

  private var accounts: [Account] = []
  private var indexByNumber: [String: Int] = [:]
  private var indicesByDealer: [String: [Int]] = [:]

  init(invoices: [Invoice]) throws {
    let sorted = invoices.sorted { ($0.day, $0.number) < ($1.day, $1.number) }
    for invoice in sorted {
      guard !invoice.vatRate.isNegative else {
        throw MechanicsError.invalidDocument(
          "invoice \(invoice.number)", reason: "negative VAT rate")
      }
      let net = try invoice.netAmount()
      guard net.minor >= 0 else {
        throw MechanicsError.invalidDocument(
          "invoice \(invoice.number)", reason: "negative net amount")
      }
      guard indexByNumber[invoice.number] == nil else {
        throw MechanicsError.duplicateDocument("invoice \(invoice.number)")
      }
      indexByNumber[invoice.number] = accounts.count
      indicesByDealer[invoice.dealer, default: []].append(accounts.count)
      accounts.append(Account(invoice: invoice, grossOwed: try invoice.grossAmount(), netOwed: net))
    }
  }

  func invoice(_ number: String) -> Invoice { accounts[indexByNumber[number]!].invoice }

  var openInvoices: [OpenInvoice] {
    accounts.filter { $0.grossOwed.minor > 0 }.map {
      OpenInvoice(
        invoiceNumber: $0.invoice.number, dealer: $0.invoice.dealer, gross: $0.grossOwed,
        net: $0.netOwed)
    }
  }

  /// Takes up to `gross` from the referenced invoice, then from the dealer's oldest open ones.
  mutating func apply(gross: Money, dealer: String, reference: String?, document: String) throws
    -> (taken: [Part], left: Money)
  {
    var left = gross
    var taken: [Part] = []
    if let reference {
      guard let index = indexByNumber[reference] else {
        throw MechanicsError.unknownInvoice(document: document, invoice: reference)
      }
      guard accounts[index].invoice.dealer == dealer else {
        throw MechanicsError.dealerMismatch(document: document, invoice: reference)
      }
      if let part = try take(&left, from: index) { taken.append(part) }
    }
    for index in indicesByDealer[dealer] ?? [] where left.minor > 0 {
      if let part = try take(&left, from: index) { taken.append(part) }
    }
    return (taken, left)
  }

  private mutating func take(_ left: inout Money, from index: Int) throws -> Part? {
    let account = accounts[index]
    let gross = min(left, account.grossOwed)
    guard gross.minor > 0 else { return nil }
    // The last cent of an invoice takes the whole remaining net, so rounding never strands any.
    let net =
      gross == account.grossOwed
      ? account.netOwed
      : try Money(
        exact: gross.exact.multiplied(by: account.netOwed.exact).divided(
          by: account.grossOwed.exact, scale: Money.minorDigits, .halfUp))
    accounts[index].grossOwed = try account.grossOwed.subtracting(gross)
    accounts[index].netOwed = try account.netOwed.subtracting(net)
    left = try left.subtracting(gross)
    assert(accounts[index].grossOwed.minor >= 0 && left.minor >= 0, "never settles more than owed")
    return Part(invoice: account.invoice.number, gross: gross, net: net)
  }
}
