import RebateCore

/// One step of an early-payment schedule: paid at most `maxDaysAfterInvoice` days after the
/// invoice date earns `rate` (a fraction) of the net settled.
public struct EarlyPaymentStep: Sendable, Hashable {
  public var maxDaysAfterInvoice: Int
  public var rate: ExactDecimal

  public init(maxDaysAfterInvoice: Int, rate: ExactDecimal) {
    self.maxDaysAfterInvoice = maxDaysAfterInvoice
    self.rate = rate
  }
}

/// Early-payment rebate (E4). Later than the last step earns nothing; a prepayment earns the
/// highest rate of the schedule. Each settlement's rebate is rounded on its own, so the
/// statement's figures add up to its total.
public struct EarlyPaymentSettings: Sendable, Hashable {
  public var mechanic: String
  public var steps: [EarlyPaymentStep]
  public var rounding: RoundingMode

  public init(
    mechanic: String = "early_payment", steps: [EarlyPaymentStep], rounding: RoundingMode = .halfUp
  ) {
    self.mechanic = mechanic
    self.steps = steps
    self.rounding = rounding
  }

  public func validate() throws(MechanicsError) {
    let place = "\(mechanic).steps"
    guard !steps.isEmpty else { throw .invalidSettings(place, reason: "no steps") }
    try MechanicsLimits.check(steps.count, place, limit: MechanicsLimits.maxRules)
    for (earlier, later) in zip(steps, steps.dropFirst())
    where earlier.maxDaysAfterInvoice >= later.maxDaysAfterInvoice {
      throw .invalidSettings(place, reason: "days must increase from step to step")
    }
    guard steps[0].maxDaysAfterInvoice >= 0 else {
      throw .invalidSettings(place, reason: "days cannot be negative")
    }
    for step in steps { try validateRate(step.rate, place: place) }
  }

  public func rate(daysAfterInvoice days: Int) -> ExactDecimal {
    if days < 0 { return steps.map(\.rate).max() ?? .zero }
    return steps.first { days <= $0.maxDaysAfterInvoice }?.rate ?? .zero
  }

  var scheduleLabel: String {
    (steps.map { "≤ \($0.maxDaysAfterInvoice) days \(percentLabel($0.rate))" } + ["later 0.00 %"])
      .joined(separator: ", ")
  }
}

/// The rebate each dealer earned on settlements whose payment date falls in `period`, one line
/// per dealer (dealers in name order).
public func earlyPaymentRebate(
  settlements: [Settlement], period: Period, settings: EarlyPaymentSettings
) throws -> [ResultLine] {
  try settings.validate()
  let inPeriod = settlements.filter { period.contains($0.paymentDay) }
  let byDealer = Dictionary(grouping: inPeriod, by: \.dealer)
  return try byDealer.keys.sorted().map { dealer in
    let ordered = byDealer[dealer]!.sorted {
      ($0.paymentDay, $0.paymentID, $0.invoiceNumber) < (
        $1.paymentDay, $1.paymentID, $1.invoiceNumber
      )
    }
    // One text grown in place, each rate labelled once: a dealer has hundreds of settlements.
    var formula = ""
    formula.reserveCapacity(ordered.count * 72)
    var rateLabels: [ExactDecimal: String] = [:]
    var total = Money.zero
    for (index, settlement) in ordered.enumerated() {
      let rate = settings.rate(daysAfterInvoice: settlement.daysAfterInvoice)
      let rebate = try settlement.net.multiplied(by: rate, settings.rounding)
      total = try total.adding(rebate)
      let rateLabel = rateLabels[rate] ?? percentLabel(rate)
      rateLabels[rate] = rateLabel
      if index > 0 { formula += "; " }
      formula += settlement.paymentID
      formula += " on "
      formula += settlement.invoiceNumber
      formula +=
        settlement.isPrepayment ? " (prepaid): " : " (\(settlement.daysAfterInvoice) days): "
      formula += productLabel(settlement.net, rateLabel: rateLabel, rebate)
    }
    let net = try Money.sum(ordered.map(\.net))
    return ResultLine(
      dealer: dealer, period: period, mechanic: settings.mechanic, amount: total,
      explanation: Explanation(
        rule:
          "early-payment rebate: each payment earns the rate of its own date on the net it settles",
        inputs: [
          ExplanationInput("schedule", settings.scheduleLabel),
          ExplanationInput("net settled in period", net.grouped),
          ExplanationInput("rounding", "\(settings.rounding.rawValue) per settlement"),
        ],
        formula: formula + "; total \(total.grouped)",
        sources: settlementSources(ordered)))
  }
}

/// Each invoice once, then each payment once, in the order they were settled.
func settlementSources(_ settlements: [Settlement]) -> [SourceDocument] {
  var invoices: [SourceDocument] = []
  var payments: [SourceDocument] = []
  var seen: Set<String> = []
  for settlement in settlements {
    if seen.insert("invoice " + settlement.invoiceNumber).inserted {
      invoices.append(
        SourceDocument(
          kind: "invoice", number: settlement.invoiceNumber, day: settlement.invoiceDay))
    }
    if seen.insert("payment " + settlement.paymentID).inserted {
      payments.append(
        SourceDocument(kind: "payment", number: settlement.paymentID, day: settlement.paymentDay))
    }
  }
  return invoices + payments
}
