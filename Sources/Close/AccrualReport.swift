import Mechanics
import RebateCore

/// Where one dealer stands under one mechanic in an open period, and where it is heading.
public struct AccrualRow: Sendable, Hashable {
  public let dealer: String
  public let mechanic: String
  public let asOf: Day
  /// What the documents to date earn at the tier reached to date.
  public let earnedToDate: Money
  /// What to have booked by `asOf` at the rate the period is heading for.
  public let accruedToDate: Money
  public let projected: Money
  public let projectedTier: String
  public let missingToNextTier: Money?
  public let explanation: Explanation
}

/// Accruals of one dealer on `asOf` (inclusive) from documents dated up to that day. Volume
/// bonuses use the Mechanics' run-rate accrual; the early-payment rebate books what payments to
/// date earned and projects it at the same daily rate. The reporting bonus and price protection
/// depend on events after period end (reports, price changes) and are settled at close only.
public func accrueDealer(
  _ documents: DealerDocuments, period: Period, asOf: Day, settings: CloseSettings
) throws -> [AccrualRow] {
  guard period.contains(asOf) else {
    throw CloseError.invalidInput("accruals of \(period)", reason: "\(asOf) is outside the period")
  }
  try documents.checkOwnership()
  let allocation = try PaymentAllocation(
    invoices: documents.invoices.filter { $0.day <= asOf },
    creditNotes: documents.creditNotes.filter { $0.day <= asOf },
    payments: documents.payments.filter { $0.day <= asOf })
  var rows: [AccrualRow] = []
  if let early = settings.offInvoice.earlyPayment,
    let earned = try earlyPaymentRebate(
      settlements: allocation.settlements, period: period, settings: early
    ).first
  {
    rows.append(try earlyPaymentAccrual(earned, period: period, asOf: asOf))
  }
  let input = VolumeBonusInput(
    dealer: documents.dealer, period: period, invoices: documents.invoices,
    creditNotes: documents.creditNotes, allocation: allocation, target: documents.profile.target)
  for volume in [settings.offInvoice.volumeBonus, settings.offInvoice.focusProducts].compactMap({
    $0
  }) {
    let accrual = try volumeAccrual(
      input, versions: [Effective(from: period.firstDay, settings: volume)], asOf: asOf)
    rows.append(
      AccrualRow(
        dealer: documents.dealer, mechanic: volume.mechanic, asOf: asOf,
        earnedToDate: accrual.earnedToDate, accruedToDate: accrual.accruedToDate,
        projected: accrual.projectedBonus, projectedTier: accrual.projectedTier,
        missingToNextTier: accrual.missingToNextTier, explanation: accrual.explanation))
  }
  return rows.sorted { $0.mechanic < $1.mechanic }
}

private func earlyPaymentAccrual(_ earned: ResultLine, period: Period, asOf: Day) throws
  -> AccrualRow
{
  let elapsed = period.firstDay.days(until: asOf) + 1
  let length = period.firstDay.days(until: period.lastDay) + 1
  let projected = try Money(
    exact: earned.amount.exact.multiplied(by: ExactDecimal(length))
      .divided(by: ExactDecimal(elapsed), scale: 2, .halfUp))
  return AccrualRow(
    dealer: earned.dealer, mechanic: earned.mechanic, asOf: asOf, earnedToDate: earned.amount,
    accruedToDate: earned.amount, projected: projected, projectedTier: "schedule per payment",
    missingToNextTier: nil,
    explanation: Explanation(
      rule: "accrual of \(earned.mechanic): earned by payments to date, run-rate to period end",
      inputs: earned.explanation.inputs + [
        ExplanationInput("days elapsed", "\(elapsed) of \(length)")
      ],
      formula: "\(earned.explanation.formula); projected \(earned.amount.grouped) × \(length) / "
        + "\(elapsed) = \(projected.grouped)",
      sources: earned.explanation.sources))
}

/// The accrual report of a period as text, one row per dealer and mechanic.
public enum AccrualReport {
  public static let csvHeader = CSVText.row([
    "dealer", "mechanic", "as_of", "earned_to_date", "accrued_to_date", "projected",
    "projected_tier", "missing_to_next_tier",
  ])

  public static func csvRows(_ rows: [AccrualRow]) -> String {
    rows.map {
      CSVText.row([
        $0.dealer, $0.mechanic, $0.asOf.description, $0.earnedToDate.description,
        $0.accruedToDate.description, $0.projected.description, $0.projectedTier,
        $0.missingToNextTier?.description ?? "",
      ])
    }.joined()
  }
}
