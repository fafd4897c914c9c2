import RebateCore

/// One line of an invoice or a credit note. Amounts are net of VAT; on a credit note they are
/// positive and mean a reduction.
public struct DocumentLine: Sendable, Hashable {
  public let sku: String
  public let category: String
  public let brand: String
  public let quantity: Int64
  public let listPrice: ExactDecimal
  public let netUnitPrice: ExactDecimal
  public let netAmount: Money

  public init(
    sku: String, category: String, brand: String, quantity: Int64, listPrice: ExactDecimal,
    netUnitPrice: ExactDecimal, netAmount: Money
  ) {
    self.sku = sku
    self.category = category
    self.brand = brand
    self.quantity = quantity
    self.listPrice = listPrice
    self.netUnitPrice = netUnitPrice
    self.netAmount = netAmount
  }
}

/// A sales invoice to a dealer. `vatRate` is a fraction (0.20 for 20 %).
public struct Invoice: Sendable, Hashable {
  public let number: String
  public let dealer: String
  public let day: Day
  public let dueDay: Day
  public let vatRate: ExactDecimal
  public let lines: [DocumentLine]

  public init(
    number: String, dealer: String, day: Day, dueDay: Day, vatRate: ExactDecimal,
    lines: [DocumentLine]
  ) {
    self.number = number
    self.dealer = dealer
    self.day = day
    self.dueDay = dueDay
    self.vatRate = vatRate
    self.lines = lines
  }

  public func netAmount() throws(CoreError) -> Money { try Money.sum(lines.lazy.map(\.netAmount)) }

  /// Net plus VAT, VAT computed once on the invoice total and rounded half-up.
  public func grossAmount() throws(CoreError) -> Money {
    try grossOf(netAmount(), vatRate: vatRate)
  }
}

/// A credit note to a dealer (returns, price corrections). It reduces turnover on its own date
/// and reduces what the referenced invoice (or else the oldest open invoice) still owes.
public struct CreditNote: Sendable, Hashable {
  public let number: String
  public let dealer: String
  public let day: Day
  public let vatRate: ExactDecimal
  public let lines: [DocumentLine]
  public let invoiceNumber: String?

  public init(
    number: String, dealer: String, day: Day, vatRate: ExactDecimal, lines: [DocumentLine],
    invoiceNumber: String? = nil
  ) {
    self.number = number
    self.dealer = dealer
    self.day = day
    self.vatRate = vatRate
    self.lines = lines
    self.invoiceNumber = invoiceNumber
  }

  public func netAmount() throws(CoreError) -> Money { try Money.sum(lines.lazy.map(\.netAmount)) }

  public func grossAmount() throws(CoreError) -> Money {
    try grossOf(netAmount(), vatRate: vatRate)
  }
}

/// Money received from a dealer, gross of VAT as the bank reports it.
public struct Payment: Sendable, Hashable {
  public let id: String
  public let dealer: String
  public let day: Day
  public let grossAmount: Money
  public let invoiceNumber: String?

  public init(
    id: String, dealer: String, day: Day, grossAmount: Money, invoiceNumber: String? = nil
  ) {
    self.id = id
    self.dealer = dealer
    self.day = day
    self.grossAmount = grossAmount
    self.invoiceNumber = invoiceNumber
  }
}

func grossOf(_ net: Money, vatRate: ExactDecimal) throws(CoreError) -> Money {
  try net.multiplied(by: ExactDecimal.one.adding(vatRate), .halfUp)
}
