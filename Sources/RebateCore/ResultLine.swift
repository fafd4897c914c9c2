/// A document a computed number came from: an invoice, a credit note, a payment, a sell-out
/// submission, a price change, or a closed period (for adjustments).
public struct SourceDocument: Sendable, Hashable {
  public let kind: String
  public let number: String
  public let day: Day?
  public let amount: Money?

  public init(kind: String, number: String, day: Day? = nil, amount: Money? = nil) {
    self.kind = kind
    self.number = number
    self.day = day
    self.amount = amount
  }
}

/// A named input of a computation, already formatted for people ("basis" = "4,200,000.00").
public struct ExplanationInput: Sendable, Hashable {
  public let name: String
  public let value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// Why a number is what it is: the rule that produced it, its inputs, the formula with the
/// figures filled in, and the documents behind it. Every result line carries one.
public struct Explanation: Sendable, Hashable {
  public let rule: String
  public let inputs: [ExplanationInput]
  public let formula: String
  public let sources: [SourceDocument]
  /// A sentence for the dealer when the outcome needs one ("growth 5.00 % < required 10.00 %").
  public let note: String?

  public init(
    rule: String, inputs: [ExplanationInput], formula: String, sources: [SourceDocument],
    note: String? = nil
  ) {
    self.rule = rule
    self.inputs = inputs
    self.formula = formula
    self.sources = sources
    self.note = note
  }
}

/// One computed amount of one mechanic for one dealer in one period: what statements, credit
/// notes and program cost are made of.
public struct ResultLine: Sendable, Hashable {
  public let dealer: String
  public let period: Period
  /// Stable mechanic id: `early_payment`, `volume_bonus`, `reporting_bonus`, `price_protection`,
  /// `adjustment`, ...
  public let mechanic: String
  public let amount: Money
  public let explanation: Explanation

  public init(
    dealer: String, period: Period, mechanic: String, amount: Money, explanation: Explanation
  ) {
    self.dealer = dealer
    self.period = period
    self.mechanic = mechanic
    self.amount = amount
    self.explanation = explanation
  }
}
