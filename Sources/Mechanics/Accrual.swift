import RebateCore

/// Where a dealer stands in an open period under a volume bonus, and where it is heading.
public struct VolumeAccrual: Sendable {
  public let dealer: String
  public let period: Period
  public let asOf: Day
  public let basisToDate: Money
  /// The bonus the basis so far earns at the tier it has reached so far.
  public let earnedToDate: Money
  /// basis so far × days in period / days elapsed, half-up.
  public let projectedBasis: Money
  public let projectedTier: String
  public let projectedBonus: Money
  /// What to have booked by `asOf`: the projected bonus in proportion of the basis so far to the
  /// projected basis, i.e. the basis so far at the rate the period is heading for.
  public let accruedToDate: Money
  /// Basis still missing to reach the next tier; nil at the top tier or under plan attainment.
  public let missingToNextTier: Money?
  public let explanation: Explanation
}

/// The accrual of a volume bonus on `asOf` (inclusive), from documents dated up to that day.
/// Conditions (growth, order count) are judged at close, not here: an accrual books the expected
/// cost of the program, and a condition failing at close reverses it in the final posting.
public func volumeAccrual(
  _ input: VolumeBonusInput, versions: [Effective<VolumeBonusSettings>], asOf: Day
) throws -> VolumeAccrual {
  let period = input.period
  guard period.contains(asOf) else {
    throw MechanicsError.missingInput("accrual \(period)", reason: "\(asOf) is outside the period")
  }
  var soFar = input
  soFar.invoices = input.invoices.filter { $0.day <= asOf }
  soFar.creditNotes = input.creditNotes.filter { $0.day <= asOf }
  let unconditional = versions.map { version in
    var settings = version.settings
    settings.conditions = []
    return Effective(from: version.from, settings: settings)
  }
  let earned = try volumeBonus(soFar, versions: unconditional)
  let basisToDate = try periodBasis(soFar, versions: unconditional).total
  let elapsed = period.firstDay.days(until: asOf) + 1
  let length = period.firstDay.days(until: period.lastDay) + 1
  let projectedBasis = try Money(
    exact: basisToDate.exact.multiplied(by: ExactDecimal(length))
      .divided(by: ExactDecimal(elapsed), scale: 2, .halfUp))
  guard let current = unconditional.last(where: { $0.from <= asOf })?.settings else {
    throw MechanicsError.invalidSettings("volume bonus", reason: "no version in force on \(asOf)")
  }
  let outcome = try current.scale.outcome(basis: projectedBasis, target: input.target)
  let projected = try partAmount(
    outcome, part: projectedBasis, of: projectedBasis, current.rounding)
  let projectedBonus = projected.amounts[0]
  let accrued =
    projectedBasis.minor == 0
    ? Money.zero
    : try Money(
      exact: projectedBonus.exact.multiplied(by: basisToDate.exact)
        .divided(by: projectedBasis.exact, scale: 2, current.rounding))
  let missing = try current.scale.nextThreshold(above: basisToDate).map {
    try $0.subtracting(basisToDate)
  }
  return VolumeAccrual(
    dealer: input.dealer, period: period, asOf: asOf, basisToDate: basisToDate,
    earnedToDate: earned.amount, projectedBasis: projectedBasis, projectedTier: outcome.reached,
    projectedBonus: projectedBonus, accruedToDate: accrued, missingToNextTier: missing,
    explanation: Explanation(
      rule: "accrual of \(current.mechanic): run-rate projection of the basis to period end",
      inputs: [
        ExplanationInput("basis to date", basisToDate.grouped),
        ExplanationInput("days elapsed", "\(elapsed) of \(length)"),
        ExplanationInput("earned to date", earned.amount.grouped),
        ExplanationInput("projected tier", outcome.reached),
        ExplanationInput("missing to next tier", missing?.grouped ?? "top tier reached"),
      ],
      formula: "\(basisToDate.grouped) × \(length) / \(elapsed) = \(projectedBasis.grouped); "
        + "\(projected.formula); accrued \(projectedBonus.grouped) × \(basisToDate.grouped) / "
        + "\(projectedBasis.grouped) = \(accrued.grouped)",
      sources: earned.explanation.sources))
}

/// One posting of a bonus over the months of its period.
public struct AccrualPosting: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable { case accrual, settlement }
  public let month: Period
  public let kind: Kind
  public let amount: Money
  /// Booked so far including this posting.
  public let cumulative: Money
}

/// Month-end accruals of a bonus whose period is longer than a month, then the settlement:
/// each month books the change in accrued-to-date; the last month books final − accrued so far,
/// so the postings always sum to the final bonus.
public func monthlyAccrualPostings(
  _ input: VolumeBonusInput, versions: [Effective<VolumeBonusSettings>], final: ResultLine
) throws -> [AccrualPosting] {
  guard final.dealer == input.dealer, final.period == input.period else {
    throw MechanicsError.missingInput(
      "accrual postings",
      reason: "final result of \(final.dealer) \(final.period) does not match the input")
  }
  let months = input.period.months
  var postings: [AccrualPosting] = []
  var booked = Money.zero
  for month in months.dropLast() {
    let accrual = try volumeAccrual(input, versions: versions, asOf: month.lastDay)
    let amount = try accrual.accruedToDate.subtracting(booked)
    booked = accrual.accruedToDate
    postings.append(
      AccrualPosting(month: month, kind: .accrual, amount: amount, cumulative: booked))
  }
  let last = try final.amount.subtracting(booked)
  postings.append(
    AccrualPosting(month: months.last!, kind: .settlement, amount: last, cumulative: final.amount))
  assert(
    postings.reduce(Int64(0)) { $0 + $1.amount.minor } == final.amount.minor,
    "postings sum to the final bonus")
  return postings
}
