import RebateCore

/// A volume tier: from `fromAmount` of basis on, `rate` (a fraction) applies.
public struct VolumeTier: Sendable, Hashable {
  public var fromAmount: Money
  public var rate: ExactDecimal

  public init(fromAmount: Money, rate: ExactDecimal) {
    self.fromAmount = fromAmount
    self.rate = rate
  }
}

/// A plan-attainment step: from `fromAttainment` of the dealer's target on (1.00 = 100 %),
/// `rate` applies to the whole basis.
public struct AttainmentStep: Sendable, Hashable {
  public var fromAttainment: ExactDecimal
  public var rate: ExactDecimal

  public init(fromAttainment: ExactDecimal, rate: ExactDecimal) {
    self.fromAttainment = fromAttainment
    self.rate = rate
  }
}

/// How the basis turns into a bonus (E5). `retroactive`: the highest tier reached applies to the
/// whole basis. `incremental`: each slice of the basis at its own tier's rate. `planAttainment`:
/// the rate is chosen by the share of the dealer's target reached (E6 variant).
public enum VolumeScale: Sendable, Hashable {
  case retroactive([VolumeTier])
  case incremental([VolumeTier])
  case planAttainment([AttainmentStep])
}

/// A condition the whole period must meet, or the bonus is 0.00 with a note saying why.
public enum VolumeCondition: Sendable, Hashable {
  /// Basis ≥ (1 + minimum) × basis of the same period last year (0.10 for 10 %). A dealer
  /// without turnover last year passes: growth cannot be measured against nothing.
  case growth(minimum: ExactDecimal)
  /// At least this many invoices (orders) dated in the period count towards the basis.
  case minimumOrders(Int)
}

/// Count only the part of each invoice paid (or credited) by this many days after period end.
public struct PaidOnlyBasis: Sendable, Hashable {
  public var cutoffDaysAfterPeriodEnd: Int

  public init(cutoffDaysAfterPeriodEnd: Int) {
    self.cutoffDaysAfterPeriodEnd = cutoffDaysAfterPeriodEnd
  }
}

/// Volume bonus (retro bonus, E5/E6) and its variants. Focus or new products are a second
/// instance with its own `mechanic` id, `productGroup` and scale (see `focusProducts`).
public struct VolumeBonusSettings: Sendable, Hashable {
  public var mechanic: String
  public var scale: VolumeScale
  public var productGroup: ProductGroup?
  public var paidOnly: PaidOnlyBasis?
  public var conditions: [VolumeCondition]
  public var rounding: RoundingMode

  public init(
    mechanic: String = "volume_bonus", scale: VolumeScale, productGroup: ProductGroup? = nil,
    paidOnly: PaidOnlyBasis? = nil, conditions: [VolumeCondition] = [],
    rounding: RoundingMode = .halfUp
  ) {
    self.mechanic = mechanic
    self.scale = scale
    self.productGroup = productGroup
    self.paidOnly = paidOnly
    self.conditions = conditions
    self.rounding = rounding
  }

  /// A separate basis of focus or new products at one rate.
  public static func focusProducts(
    mechanic: String = "focus_products", group: ProductGroup, rate: ExactDecimal,
    rounding: RoundingMode = .halfUp
  ) -> VolumeBonusSettings {
    VolumeBonusSettings(
      mechanic: mechanic, scale: .retroactive([VolumeTier(fromAmount: .zero, rate: rate)]),
      productGroup: group, rounding: rounding)
  }

  public func validate() throws(MechanicsError) {
    try scale.validate(place: "\(mechanic).scale")
    for condition in conditions {
      switch condition {
      case .growth(let minimum) where minimum.isNegative:
        throw .invalidSettings("\(mechanic).conditions", reason: "negative growth \(minimum)")
      case .minimumOrders(let count) where count < 1:
        throw .invalidSettings("\(mechanic).conditions", reason: "minimum orders \(count) < 1")
      default: continue
      }
    }
  }
}

/// The documents and figures one dealer's volume bonus is computed from. Include last year's
/// documents when a growth condition applies, and an allocation when the basis is paid-only.
public struct VolumeBonusInput: Sendable {
  public var dealer: String
  public var period: Period
  public var invoices: [Invoice]
  public var creditNotes: [CreditNote]
  public var allocation: PaymentAllocation?
  public var target: Money?

  public init(
    dealer: String, period: Period, invoices: [Invoice], creditNotes: [CreditNote] = [],
    allocation: PaymentAllocation? = nil, target: Money? = nil
  ) {
    self.dealer = dealer
    self.period = period
    self.invoices = invoices
    self.creditNotes = creditNotes
    self.allocation = allocation
    self.target = target
  }
}

/// The bonus under one version of the settings for the whole period.
public func volumeBonus(_ input: VolumeBonusInput, settings: VolumeBonusSettings) throws
  -> ResultLine
{
  try volumeBonus(input, versions: [Effective(from: input.period.firstDay, settings: settings)])
}

/// The bonus under effective-dated versions: each version governs the documents dated while it
/// is in force. The tier reached is decided by the whole period's basis; each part is paid at
/// its own version's rate for that tier, in proportion to its share of the basis.
public func volumeBonus(_ input: VolumeBonusInput, versions: [Effective<VolumeBonusSettings>])
  throws -> ResultLine
{
  let (windows, parts, total) = try periodBasis(input, versions: versions)
  let current = windows.last!.settings
  var inputs = [ExplanationInput("basis", total.grouped)]
  inputs += try conditionInputs(input, settings: current, basis: total)
  let sources = parts.flatMap(\.sources)
  if let failure = try failedCondition(input, settings: current, basis: total, parts: parts) {
    return ResultLine(
      dealer: input.dealer, period: input.period, mechanic: current.mechanic, amount: .zero,
      explanation: Explanation(
        rule: ruleLabel(current), inputs: inputs,
        formula: "condition not met: \(failure) → 0.00", sources: sources, note: failure))
  }
  var terms: [String] = []
  var amounts: [Money] = []
  for (window, part) in zip(windows, parts) {
    let outcome = try window.settings.scale.outcome(basis: total, target: input.target)
    let share = try partAmount(outcome, part: part.amount, of: total, window.settings.rounding)
    amounts += share.amounts
    let prefix = windows.count > 1 ? "\(window.first)…\(window.last): " : ""
    terms.append(prefix + share.formula)
    inputs.append(
      ExplanationInput(windows.count > 1 ? "tier from \(window.first)" : "tier", outcome.reached))
  }
  let amount = try Money.sum(amounts)
  let formula =
    amounts.count > 1
    ? terms.joined(separator: "; ") + " = "
      + amounts.map(\.grouped).joined(separator: " + ") + " = \(amount.grouped)"
    : terms.joined()
  return ResultLine(
    dealer: input.dealer, period: input.period, mechanic: current.mechanic, amount: amount,
    explanation: Explanation(
      rule: ruleLabel(current), inputs: inputs, formula: formula, sources: sources))
}

private func ruleLabel(_ settings: VolumeBonusSettings) -> String {
  let kind: String
  switch settings.scale {
  case .retroactive: kind = "retroactive tiers"
  case .incremental: kind = "incremental tiers"
  case .planAttainment: kind = "plan attainment"
  }
  var parts = ["\(settings.mechanic): \(kind) on net turnover less credit notes"]
  if let group = settings.productGroup { parts.append("restricted to \(group.label)") }
  if let paid = settings.paidOnly {
    parts.append("paid part only, cut-off \(paid.cutoffDaysAfterPeriodEnd) days after period end")
  }
  return parts.joined(separator: ", ")
}

/// One version's part of the bonus, each slice rounded on its own so the shown figures add up.
func partAmount(
  _ outcome: ScaleOutcome, part: Money, of total: Money, _ mode: RoundingMode
) throws -> (amounts: [Money], formula: String) {
  var amounts: [Money] = []
  var terms: [String] = []
  for slice in outcome.slices {
    let exact = try slice.base.exact.multiplied(by: slice.rate)
    // A zero total with non-zero parts (credits cancelling invoices) earns nothing to share.
    let amount =
      total.minor == 0
      ? Money.zero
      : part == total
        ? try Money(rounding: exact, mode)
        : try Money(
          exact: exact.multiplied(by: part.exact).divided(by: total.exact, scale: 2, mode))
    amounts.append(amount)
    let base = outcome.slices.count == 1 && part != total ? part : slice.base
    terms.append(
      "\(base.grouped) × \(percentLabel(slice.rate))"
        + (outcome.slices.count > 1 && part != total ? " × \(part.grouped) / \(total.grouped)" : "")
    )
  }
  let sum = try Money.sum(amounts)
  let formula =
    amounts.count > 1
    ? terms.joined(separator: " + ") + " = " + amounts.map(\.grouped).joined(separator: " + ")
      + " = \(sum.grouped)"
    : (terms.first ?? "0.00") + " = \(sum.grouped)"
  return ([sum], formula)
}

/// The period's basis split at each version's effective day.
func periodBasis(_ input: VolumeBonusInput, versions: [Effective<VolumeBonusSettings>]) throws
  -> (
    windows: [(first: Day, last: Day, settings: VolumeBonusSettings)], parts: [BasisPart],
    total: Money
  )
{
  let windows = try windows(versions, in: input.period, place: "volume bonus")
  for window in windows { try window.settings.validate() }
  let parts = try windows.map { window in
    try basis(input, first: window.first, last: window.last, settings: window.settings)
  }
  return (windows, parts, try Money.sum(parts.map(\.amount)))
}

struct BasisPart {
  let amount: Money
  let sources: [SourceDocument]
  let orders: Int
}

/// Net turnover of the dealer's invoices dated `first...last`, less credit notes dated then,
/// restricted to the product group; paid-only counts each invoice by the share of it paid or
/// credited by the cut-off.
func basis(_ input: VolumeBonusInput, first: Day, last: Day, settings: VolumeBonusSettings)
  throws -> BasisPart
{
  try MechanicsLimits.check(input.invoices.count, "invoices")
  try MechanicsLimits.check(input.creditNotes.count, "credit notes")
  let coverage = try settings.paidOnly.map { paid in
    try PaidCoverage(
      input, cutoff: input.period.lastDay.adding(days: paid.cutoffDaysAfterPeriodEnd),
      mechanic: settings.mechanic)
  }
  var amount = Money.zero
  var sources: [SourceDocument] = []
  var orders = 0
  let invoices = input.invoices.filter {
    $0.dealer == input.dealer && first <= $0.day && $0.day <= last
  }
  for invoice in invoices.sorted(by: { ($0.day, $0.number) < ($1.day, $1.number) }) {
    var counted = try groupNet(invoice.lines, settings.productGroup)
    if let coverage {
      counted = try coverage.paidPart(of: counted, invoice: invoice, settings.rounding)
    }
    guard counted.minor != 0 else { continue }
    orders += 1
    amount = try amount.adding(counted)
    sources.append(
      SourceDocument(kind: "invoice", number: invoice.number, day: invoice.day, amount: counted))
  }
  let notes = input.creditNotes.filter {
    $0.dealer == input.dealer && first <= $0.day && $0.day <= last
  }
  for note in notes.sorted(by: { ($0.day, $0.number) < ($1.day, $1.number) }) {
    let counted = try groupNet(note.lines, settings.productGroup)
    guard counted.minor != 0 else { continue }
    amount = try amount.subtracting(counted)
    sources.append(
      SourceDocument(
        kind: "credit_note", number: note.number, day: note.day, amount: counted.negated))
  }
  return BasisPart(amount: amount, sources: sources, orders: orders)
}

private func groupNet(_ lines: [DocumentLine], _ group: ProductGroup?) throws -> Money {
  try Money.sum(lines.filter { group?.contains($0) ?? true }.map(\.netAmount))
}

/// Per invoice, the net paid by the cut-off plus the net credited, as a share of its net.
private struct PaidCoverage {
  let coveredNet: [String: Money]

  init(_ input: VolumeBonusInput, cutoff: Day, mechanic: String) throws {
    guard let allocation = input.allocation else {
      throw MechanicsError.missingInput(
        mechanic, reason: "a paid-only basis needs the payment allocation")
    }
    var covered: [String: Money] = [:]
    for settlement in allocation.settlements where settlement.paymentDay <= cutoff {
      covered[settlement.invoiceNumber] = try (covered[settlement.invoiceNumber] ?? .zero).adding(
        settlement.net)
    }
    for credit in allocation.credits {
      covered[credit.invoiceNumber] = try (covered[credit.invoiceNumber] ?? .zero).adding(
        credit.net)
    }
    coveredNet = covered
  }

  func paidPart(of amount: Money, invoice: Invoice, _ mode: RoundingMode) throws -> Money {
    let net = try invoice.netAmount()
    guard net.minor > 0 else { return .zero }
    let covered = min(coveredNet[invoice.number] ?? .zero, net)
    if covered == net { return amount }
    return try Money(
      exact: amount.exact.multiplied(by: covered.exact).divided(by: net.exact, scale: 2, mode))
  }
}

private func lastYearBasis(_ input: VolumeBonusInput, settings: VolumeBonusSettings) throws -> Money
{
  var plain = settings
  plain.paidOnly = nil
  let lastYear = input.period.sameLastYear
  var shifted = input
  shifted.period = lastYear
  return try basis(shifted, first: lastYear.firstDay, last: lastYear.lastDay, settings: plain)
    .amount
}

private func conditionInputs(_ input: VolumeBonusInput, settings: VolumeBonusSettings, basis: Money)
  throws -> [ExplanationInput]
{
  var inputs: [ExplanationInput] = []
  for condition in settings.conditions {
    switch condition {
    case .growth(let minimum):
      let lastYear = try lastYearBasis(input, settings: settings)
      inputs.append(ExplanationInput("basis \(input.period.sameLastYear)", lastYear.grouped))
      inputs.append(ExplanationInput("required growth", percentLabel(minimum)))
    case .minimumOrders(let count):
      inputs.append(ExplanationInput("required orders", String(count)))
    }
  }
  if let target = input.target { inputs.append(ExplanationInput("target", target.grouped)) }
  return inputs
}

/// The first condition the period fails, as the sentence the dealer reads; nil when all pass.
private func failedCondition(
  _ input: VolumeBonusInput, settings: VolumeBonusSettings, basis: Money, parts: [BasisPart]
) throws -> String? {
  for condition in settings.conditions {
    switch condition {
    case .growth(let minimum):
      let lastYear = try lastYearBasis(input, settings: settings)
      guard lastYear.minor > 0 else { continue }
      let required = try lastYear.multiplied(by: ExactDecimal.one.adding(minimum), .halfUp)
      if basis < required {
        let growth = try basis.subtracting(lastYear).exact.divided(
          by: lastYear.exact, scale: 6, .halfUp)
        return "growth \(percentLabel(growth)) < required \(percentLabel(minimum))"
          + " (basis \(basis.grouped) < \(required.grouped))"
      }
    case .minimumOrders(let count):
      let orders = parts.reduce(0) { $0 + $1.orders }
      if orders < count { return "\(orders) orders < required \(count)" }
    }
  }
  return nil
}
