import RebateCore

/// A grade a dealer earns when its period meets both bounds; rules are tried in order.
public struct GradeRule: Sendable, Hashable {
  public var grade: String
  /// Share of the amount paid by its due date, a fraction (0.95 for 95 %).
  public var minPaidByDueShare: ExactDecimal
  /// Amount-weighted days late, at most; nil means no bound.
  public var maxWeightedDaysLate: ExactDecimal?

  public init(
    grade: String, minPaidByDueShare: ExactDecimal, maxWeightedDaysLate: ExactDecimal? = nil
  ) {
    self.grade = grade
    self.minPaidByDueShare = minPaidByDueShare
    self.maxWeightedDaysLate = maxWeightedDaysLate
  }
}

/// Payment discipline (E11): graded at close from the period's payments and fed into the next
/// period's eligibility. `fallbackGrade` is given when no rule matches.
public struct PaymentDisciplineSettings: Sendable, Hashable {
  public var rules: [GradeRule]
  public var fallbackGrade: String

  public init(rules: [GradeRule], fallbackGrade: String) {
    self.rules = rules
    self.fallbackGrade = fallbackGrade
  }

  func grade(share: ExactDecimal, daysLate: ExactDecimal) -> String {
    rules.first { rule in
      share >= rule.minPaidByDueShare && rule.maxWeightedDaysLate.map { daysLate <= $0 } ?? true
    }?.grade ?? fallbackGrade
  }
}

/// One dealer's payment behaviour in one period.
public struct DisciplineResult: Sendable, Hashable {
  public let dealer: String
  public let period: Period
  /// Net measured: settlements paid in the period plus net overdue and unpaid at period end.
  public let measuredNet: Money
  public let paidByDueNet: Money
  /// Fraction, 4 decimals, half-up.
  public let paidByDueShare: ExactDecimal
  /// Days, 2 decimals, half-up.
  public let weightedDaysLate: ExactDecimal
  /// Days sales outstanding, 2 decimals; nil when nothing was invoiced in the period.
  public let dsoDays: ExactDecimal?
  public let grade: String
  public let explanation: Explanation
}

/// Grades each dealer with payments in `period` or money overdue at its end.
///
/// Measured amounts are net: every settlement whose payment date is in the period (late ones
/// weighted by their days late), plus each invoice's net still unpaid at period end and past due
/// (weighted by its days overdue at period end), so a dealer cannot improve its grade by not
/// paying. DSO = gross receivables open at period end / gross invoiced in the period × days in
/// the period.
public func paymentDiscipline(
  invoices: [Invoice], allocation: PaymentAllocation, period: Period,
  settings: PaymentDisciplineSettings
) throws -> [DisciplineResult] {
  try MechanicsLimits.check(settings.rules.count, "grade rules", limit: MechanicsLimits.maxRules)
  let end = period.lastDay
  var measures: [String: DealerMeasure] = [:]
  for settlement in allocation.settlements where period.contains(settlement.paymentDay) {
    try measures[settlement.dealer, default: DealerMeasure()].add(
      net: settlement.net, daysLate: settlement.daysLate,
      source: SourceDocument(
        kind: "payment", number: settlement.paymentID, day: settlement.paymentDay,
        amount: settlement.net))
  }
  let position = try Receivables(allocation: allocation, asOf: end)
  for invoice in invoices where invoice.day <= end {
    let open = try position.open(invoice)
    if open.net.minor > 0 && invoice.dueDay < end {
      try measures[invoice.dealer, default: DealerMeasure()].add(
        net: open.net, daysLate: invoice.dueDay.days(until: end),
        source: SourceDocument(
          kind: "invoice", number: invoice.number, day: invoice.day, amount: open.net))
    }
  }
  let days = Int64(period.firstDay.days(until: end) + 1)
  return try measures.keys.sorted().compactMap { dealer in
    let measure = measures[dealer]!
    guard let share = try ratio(measure.paidByDue, measure.total, scale: 4) else { return nil }
    let daysLate = try ExactDecimal(units: Int128(measure.weightedDays), scale: 2)
      .divided(by: measure.total.exact, scale: 2, .halfUp)
    let dso = try position.dso(dealer: dealer, invoices: invoices, period: period, days: days)
    let grade = settings.grade(share: share, daysLate: daysLate)
    let explanation = Explanation(
      rule:
        "payment discipline: share paid by due date and amount-weighted days late, graded by rules in order",
      inputs: [
        ExplanationInput("measured net", measure.total.grouped),
        ExplanationInput("paid by due date", measure.paidByDue.grouped),
        ExplanationInput("paid by due date share", percentLabel(share)),
        ExplanationInput("weighted days late", daysLate.description),
        ExplanationInput("DSO days", dso?.description ?? "n/a"),
      ],
      formula: "\(measure.paidByDue.grouped) / \(measure.total.grouped) = \(percentLabel(share)); "
        + "Σ(net × days late) / Σ net = \(daysLate) → grade \(grade)",
      sources: measure.sources)
    return DisciplineResult(
      dealer: dealer, period: period, measuredNet: measure.total, paidByDueNet: measure.paidByDue,
      paidByDueShare: share, weightedDaysLate: daysLate, dsoDays: dso, grade: grade,
      explanation: explanation)
  }
}

private struct DealerMeasure {
  var total = Money.zero
  var paidByDue = Money.zero
  /// Σ net minor units × days late; Int128 so a year of a large dealer cannot overflow.
  var weightedDays: Int128 = 0
  var sources: [SourceDocument] = []

  mutating func add(net: Money, daysLate: Int, source: SourceDocument) throws {
    total = try total.adding(net)
    if daysLate == 0 { paidByDue = try paidByDue.adding(net) }
    weightedDays += Int128(net.minor) * Int128(daysLate)
    sources.append(source)
  }
}

/// What each invoice still owed on a day: credit notes count whatever their date (they correct
/// the invoice), payments only when made by that day.
private struct Receivables {
  let settledGross: [String: Money]
  let settledNet: [String: Money]
  let creditedGross: [String: Money]
  let creditedNet: [String: Money]

  init(allocation: PaymentAllocation, asOf day: Day) throws {
    var gross: [String: Money] = [:]
    var net: [String: Money] = [:]
    for settlement in allocation.settlements where settlement.paymentDay <= day {
      gross[settlement.invoiceNumber] = try (gross[settlement.invoiceNumber] ?? .zero).adding(
        settlement.gross)
      net[settlement.invoiceNumber] = try (net[settlement.invoiceNumber] ?? .zero).adding(
        settlement.net)
    }
    var creditGross: [String: Money] = [:]
    var creditNet: [String: Money] = [:]
    for credit in allocation.credits {
      creditGross[credit.invoiceNumber] = try (creditGross[credit.invoiceNumber] ?? .zero).adding(
        credit.gross)
      creditNet[credit.invoiceNumber] = try (creditNet[credit.invoiceNumber] ?? .zero).adding(
        credit.net)
    }
    settledGross = gross
    settledNet = net
    creditedGross = creditGross
    creditedNet = creditNet
  }

  func open(_ invoice: Invoice) throws -> (gross: Money, net: Money) {
    let number = invoice.number
    let gross = try invoice.grossAmount().subtracting(settledGross[number] ?? .zero)
      .subtracting(creditedGross[number] ?? .zero)
    let net = try invoice.netAmount().subtracting(settledNet[number] ?? .zero)
      .subtracting(creditedNet[number] ?? .zero)
    return (gross, net)
  }

  func dso(dealer: String, invoices: [Invoice], period: Period, days: Int64) throws -> ExactDecimal?
  {
    var receivable = Money.zero
    var invoiced = Money.zero
    for invoice in invoices where invoice.dealer == dealer && invoice.day <= period.lastDay {
      receivable = try receivable.adding(open(invoice).gross)
      if period.contains(invoice.day) { invoiced = try invoiced.adding(invoice.grossAmount()) }
    }
    guard invoiced.minor > 0 else { return nil }
    return try receivable.exact.multiplied(by: ExactDecimal(Int(days)))
      .divided(by: invoiced.exact, scale: 2, .halfUp)
  }
}
