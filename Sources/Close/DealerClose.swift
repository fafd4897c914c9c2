import Mechanics
import Policy
import RebateCore
import SellOut

/// One dealer's close of one period: its result lines (one per mechanic, plus one adjustment per
/// closed period and mechanic that late data changed), its payment grade, and its net turnover.
public struct DealerResult: Sendable {
  public let dealer: String
  public let segment: String
  public let period: Period
  public let netTurnover: Money
  /// Sorted by mechanic, then canonical text: the order the fingerprint uses.
  public let lines: [ResultLine]
  /// nil when the policy has no grade rules or the dealer had nothing to measure.
  public let discipline: DisciplineResult?
  /// `Fingerprint.canonicalText(lines)`, computed once: the fold hashes it.
  public let canonicalText: String

  /// Lines are put in canonical order, so a result read back from storage folds and
  /// fingerprints exactly as the one computed.
  public init(
    dealer: String, segment: String, period: Period, netTurnover: Money, lines: [ResultLine],
    discipline: DisciplineResult?
  ) {
    self.dealer = dealer
    self.segment = segment
    self.period = period
    self.netTurnover = netTurnover
    let ordered = canonicalRows(lines)
    self.lines = ordered.map(\.line)
    self.canonicalText = ordered.map(\.text).joined()
    self.discipline = discipline
  }
}

/// Closes one dealer for `period`. Pure and deterministic: the same documents in any order give
/// the same lines. `lateData` lists closed periods to recompute for adjustments (E10).
public func closeDealer(
  _ documents: DealerDocuments, period: Period, settings: CloseSettings,
  lateData: [LateDataCheck] = []
) throws -> DealerResult {
  try documents.checkOwnership()
  let allocation = try PaymentAllocation(
    invoices: documents.invoices, creditNotes: documents.creditNotes,
    payments: documents.payments)
  var lines = try mechanicLines(documents, allocation: allocation, period: period, settings)
  for check in lateData {
    lines += try adjustmentLines(check, carriedBy: period, settings: check.settings ?? settings)
  }
  try CloseLimits.check(
    lines.count, "result lines of \(documents.dealer)", limit: CloseLimits.maxLinesPerDealer)
  let discipline = try settings.offInvoice.paymentDiscipline.flatMap { grading in
    try paymentDiscipline(
      invoices: documents.invoices, allocation: allocation, period: period, settings: grading
    ).first
  }
  return DealerResult(
    dealer: documents.dealer, segment: documents.profile.segment, period: period,
    netTurnover: try documents.netTurnover(in: period), lines: lines,
    discipline: discipline)
}

/// The fingerprint's order within one dealer, so per-dealer texts concatenate into the period's.
func canonicalOrder(_ lines: [ResultLine]) -> [ResultLine] { canonicalRows(lines).map(\.line) }

/// Each line with its canonical row, in the fingerprint's order (mechanic, then row text).
func canonicalRows(_ lines: [ResultLine]) -> [(line: ResultLine, text: String)] {
  lines.map { (line: $0, text: Fingerprint.canonicalText([$0])) }
    .sorted { ($0.line.mechanic, $0.text) < ($1.line.mechanic, $1.text) }
}

/// Every off-invoice mechanic the policy offers, for one dealer and period.
func mechanicLines(
  _ documents: DealerDocuments, allocation: PaymentAllocation, period: Period,
  _ settings: CloseSettings
) throws -> [ResultLine] {
  let offInvoice = settings.offInvoice
  let gate = EligibilityGate(settings: settings, profile: documents.profile, period: period)
  var lines: [ResultLine] = []
  if let early = offInvoice.earlyPayment {
    lines += try gate.apply(early.mechanic) {
      try earlyPaymentRebate(settlements: allocation.settlements, period: period, settings: early)
    }
  }
  let volumeInput = VolumeBonusInput(
    dealer: documents.dealer, period: period, invoices: documents.invoices,
    creditNotes: documents.creditNotes, allocation: allocation, target: documents.profile.target)
  for volume in [offInvoice.volumeBonus, offInvoice.focusProducts].compactMap({ $0 }) {
    lines += try gate.apply(volume.mechanic) { [try volumeBonus(volumeInput, settings: volume)] }
  }
  if let reporting = offInvoice.reportingBonus {
    let turnover = try documents.netTurnover(in: period)
    lines += try gate.apply(ReportingBonus.mechanic) {
      [
        try ReportingBonus.compute(
          dealer: documents.dealer, period: period, netTurnover: turnover, settings: reporting,
          history: documents.sellOut?.history ?? SubmissionHistory())
      ]
    }
  }
  if let protection = offInvoice.priceProtection {
    let drops = documents.priceDrops.filter { period.contains($0.change.effective) }
    if !drops.isEmpty {
      lines += try gate.apply(PriceProtection.mechanic) {
        [try priceProtection(documents, drops: drops, period: period, settings: protection)]
      }
    }
  }
  return lines
}

/// E10: the closed period recomputed with the documents as they are now, less what was closed.
func adjustmentLines(_ check: LateDataCheck, carriedBy period: Period, settings: CloseSettings)
  throws -> [ResultLine]
{
  guard check.closedPeriod < period else {
    throw CloseError.invalidInput(
      "late data of \(check.closedPeriod)", reason: "\(period) cannot carry it: not later")
  }
  guard check.documents.dealer == check.documents.profile.dealer else {
    throw CloseError.invalidInput("late data", reason: "dealer mismatch")
  }
  try check.documents.checkOwnership()
  let allocation = try PaymentAllocation(
    invoices: check.documents.invoices, creditNotes: check.documents.creditNotes,
    payments: check.documents.payments)
  let recomputed = try mechanicLines(
    check.documents, allocation: allocation, period: check.closedPeriod, settings)
  // Adjustments the closed period itself carried belong to an older period: not recomputed here.
  let closed = check.closedLines.filter { $0.mechanic != adjustmentMechanic }
  return try adjustments(closed: closed, recomputed: recomputed, carriedBy: period)
}

public let adjustmentMechanic = "adjustment"

/// Price protection per SKU and change, summed into the dealer's one line for the mechanic.
func priceProtection(
  _ documents: DealerDocuments, drops: [PriceDrop], period: Period,
  settings: PriceProtectionSettings
) throws -> ResultLine {
  let shipments = documents.invoices.flatMap { invoice in
    invoice.lines.filter { $0.quantity > 0 }.map {
      Shipment(
        day: invoice.day, document: invoice.number, sku: $0.sku, quantity: $0.quantity,
        netUnitPrice: $0.netUnitPrice)
    }
  }
  let returns = documents.creditNotes.flatMap { note in
    note.lines.filter { $0.quantity > 0 }.map {
      CreditedReturn(
        day: note.day, document: note.number, sku: $0.sku, quantity: $0.quantity,
        shipmentDocument: note.invoiceNumber)
    }
  }
  let ordered = drops.sorted {
    ($0.change.effective, $0.change.sku, $0.change.document) < (
      $1.change.effective, $1.change.sku, $1.change.document
    )
  }
  let parts = try ordered.map { drop in
    let stock = ChannelInventory.at(
      drop.change.effective, shipments: shipments.filter { $0.sku == drop.change.sku },
      returns: returns.filter { $0.sku == drop.change.sku },
      sales: (documents.sellOut?.sales ?? []).filter { $0.sku == drop.change.sku })
    return try PriceProtection.compute(
      dealer: documents.dealer, period: period, change: drop.change,
      newNetUnitPrice: drop.newNetUnitPrice, inventory: stock[drop.change.sku],
      coveredThrough: documents.sellOut?.coveredThrough, settings: settings)
  }
  return try combined(parts, dealer: documents.dealer, period: period)
}

/// Several lines of one mechanic as one: amounts summed, each part's explanation kept in order.
func combined(_ parts: [ResultLine], dealer: String, period: Period) throws -> ResultLine {
  precondition(!parts.isEmpty, "at least one part to combine")
  if parts.count == 1 { return parts[0] }
  let amount = try Money.sum(parts.map(\.amount))
  let inputs = parts.enumerated().flatMap { index, part in
    part.explanation.inputs.map { ExplanationInput("\(index + 1). \($0.name)", $0.value) }
  }
  let formula =
    parts.enumerated().map { "\($0 + 1). \($1.explanation.formula)" }.joined(separator: "; ")
    + "; total " + parts.map(\.amount.grouped).joined(separator: " + ") + " = \(amount.grouped)"
  let notes = parts.compactMap(\.explanation.note)
  return ResultLine(
    dealer: dealer, period: period, mechanic: parts[0].mechanic, amount: amount,
    explanation: Explanation(
      rule: parts[0].explanation.rule, inputs: inputs, formula: formula,
      sources: parts.flatMap(\.explanation.sources),
      note: notes.isEmpty ? nil : notes.joined(separator: "; ")))
}

/// The policy's eligibility conditions of a mechanic: a dealer that fails one gets a 0.00 line
/// naming the condition and its value instead of the mechanic's amount (E11 fed forward).
struct EligibilityGate {
  let settings: CloseSettings
  let profile: DealerProfile
  let period: Period

  /// A failed condition: the rule it states, the dealer's value, and why it fails.
  typealias Failure = (rule: String, input: ExplanationInput, reason: String)

  func apply(_ mechanic: String, _ compute: () throws -> [ResultLine]) throws -> [ResultLine] {
    guard let conditions = settings.offInvoice.eligibility[mechanic],
      let failure = failedCondition(conditions, mechanic: mechanic)
    else { return try compute() }
    return [
      ResultLine(
        dealer: profile.dealer, period: period, mechanic: mechanic, amount: .zero,
        explanation: Explanation(
          rule: failure.rule, inputs: [failure.input], formula: "\(failure.reason) → 0.00",
          sources: [], note: "not eligible: \(failure.reason)"))
    ]
  }

  /// The first condition the dealer fails, in the order grade, segment, completeness; nil when
  /// it passes all.
  func failedCondition(_ conditions: MechanicEligibility, mechanic: String) -> Failure? {
    if let allowed = conditions.grades, let grade = profile.priorGrade, !allowed.contains(grade) {
      let gradePeriod = profile.priorGradePeriod?.description ?? "the previous period"
      let allowedText = allowed.sorted().joined(separator: ", ")
      return (
        "\(mechanic): eligible payment grades \(allowedText)",
        ExplanationInput("payment grade \(gradePeriod)", grade),
        "payment grade \(grade) in \(gradePeriod) is not one of \(allowedText)"
      )
    }
    if let allowed = conditions.segments, let failure = failedSegment(allowed, mechanic: mechanic) {
      return failure
    }
    if let minimum = conditions.minSellOutCompleteness {
      let completeness = profile.sellOutCompleteness ?? .zero
      guard completeness < minimum else { return nil }
      let shown = completeness.percentText(decimals: 2) + " %"
      let required = minimum.percentText(decimals: 2) + " %"
      return (
        "\(mechanic): sell-out completeness at least \(required)",
        ExplanationInput("sell-out completeness \(period)", shown),
        "sell-out completeness \(shown) < required \(required)"
      )
    }
    return nil
  }

  /// A segment outside `allowed`, or none stored for the dealer, in the period before the one
  /// computed (the previous period, or for a late-data recompute the one before that).
  func failedSegment(_ allowed: Set<String>, mechanic: String) -> Failure? {
    let segmentPeriod = profile.priorSegmentPeriod ?? period.previous
    let allowedText = RFMSegment.names.filter(allowed.contains).joined(separator: ", ")
    let rule = "\(mechanic): eligible RFM segments \(allowedText)"
    guard let segment = profile.priorSegment else {
      return (
        rule, ExplanationInput("RFM segment \(segmentPeriod)", "none"),
        "no segment stored for \(segmentPeriod)"
      )
    }
    guard !allowed.contains(segment) else { return nil }
    return (
      rule, ExplanationInput("RFM segment \(segmentPeriod)", segment),
      "RFM segment \(segment) in \(segmentPeriod) is not one of \(allowedText)"
    )
  }
}
