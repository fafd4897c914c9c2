import Mechanics
import RebateCore

/// A dealer's payment grade of a period as stored and shown (E11).
public struct GradeRecord: Sendable, Hashable {
  public let dealer: String
  public let period: Period
  public let grade: String
  /// Fractions and days as computed at close (4 and 2 decimals).
  public let paidByDueShare: ExactDecimal
  public let weightedDaysLate: ExactDecimal
  public let dsoDays: ExactDecimal?
  public let explanation: Explanation

  public init(
    dealer: String, period: Period, grade: String, paidByDueShare: ExactDecimal,
    weightedDaysLate: ExactDecimal, dsoDays: ExactDecimal?, explanation: Explanation
  ) {
    self.dealer = dealer
    self.period = period
    self.grade = grade
    self.paidByDueShare = paidByDueShare
    self.weightedDaysLate = weightedDaysLate
    self.dsoDays = dsoDays
    self.explanation = explanation
  }

  public init(_ result: DisciplineResult) {
    self.init(
      dealer: result.dealer, period: result.period, grade: result.grade,
      paidByDueShare: result.paidByDueShare, weightedDaysLate: result.weightedDaysLate,
      dsoDays: result.dsoDays, explanation: result.explanation)
  }

  var summary: String {
    "\(grade) (paid by due date \(paidByDueShare.percentText(decimals: 2)) %, weighted days late "
      + "\(weightedDaysLate), DSO \(dsoDays?.description ?? "n/a"))"
  }
}

/// One dealer's statement of one period: every line with its rule, inputs, formula and sources,
/// adjustments with the closed period they correct, the total and the payment grade.
public struct Statement: Sendable {
  public enum Status: String, Sendable, Hashable { case open, draft, closed }

  public let dealer: String
  public let period: Period
  public let status: Status
  public let policyReference: String
  /// The period's fingerprint once closed (or of the current draft).
  public let fingerprint: String?
  public let netTurnover: Money
  /// Mechanic lines, then adjustments, each group in mechanic then canonical order.
  public let lines: [ResultLine]
  public let adjustments: [ResultLine]
  public let total: Money
  public let grade: GradeRecord?

  public init(
    dealer: String, period: Period, status: Status, policyReference: String,
    fingerprint: String?, netTurnover: Money, lines: [ResultLine], grade: GradeRecord?
  ) throws {
    for line in lines where line.dealer != dealer || line.period != period {
      throw CloseError.invalidInput(
        "statement of \(dealer) \(period)",
        reason: "line \(line.mechanic) belongs to \(line.dealer) \(line.period)")
    }
    let ordered = canonicalOrder(lines)
    self.dealer = dealer
    self.period = period
    self.status = status
    self.policyReference = policyReference
    self.fingerprint = fingerprint
    self.netTurnover = netTurnover
    self.lines = ordered.filter { $0.mechanic != adjustmentMechanic }
    self.adjustments = ordered.filter { $0.mechanic == adjustmentMechanic }
    self.total = try Money.sum(lines.map(\.amount))
    self.grade = grade
  }

  public init(
    _ result: DealerResult, status: Status, policyReference: String, fingerprint: String?
  ) throws {
    try self.init(
      dealer: result.dealer, period: result.period, status: status,
      policyReference: policyReference, fingerprint: fingerprint, netTurnover: result.netTurnover,
      lines: result.lines, grade: result.discipline.map(GradeRecord.init))
  }
}

/// The closed period an adjustment corrects, from its `closed_period` source.
public func correctedPeriod(_ line: ResultLine) -> String? {
  line.explanation.sources.first { $0.kind == "closed_period" }?.number
}

/// The mechanic an adjustment corrects.
public func correctedMechanic(_ line: ResultLine) -> String? {
  line.explanation.inputs.first { $0.name == "mechanic" }?.value
}
