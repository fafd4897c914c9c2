import RebateCore

extension Statement {
  /// One JSON object, keys in a fixed order, money as exact decimal strings.
  public func json() -> String {
    JSONText.object([
      ("dealer", JSONText.string(dealer)),
      ("period", JSONText.string(period.description)),
      ("status", JSONText.string(status.rawValue)),
      ("policy", JSONText.string(policyReference)),
      ("fingerprint", JSONText.optional(fingerprint)),
      ("net_turnover", JSONText.money(netTurnover)),
      ("lines", JSONText.array(lines.map(lineJSON))),
      ("adjustments", JSONText.array(adjustments.map(lineJSON))),
      ("total", JSONText.money(total)),
      ("payment_grade", grade.map(gradeJSON) ?? "null"),
    ]) + "\n"
  }

  private func lineJSON(_ line: ResultLine) -> String {
    var fields = [
      ("mechanic", JSONText.string(line.mechanic)),
      ("amount", JSONText.money(line.amount)),
    ]
    if line.mechanic == adjustmentMechanic {
      fields.append(("corrects_period", JSONText.optional(correctedPeriod(line))))
      fields.append(("corrects_mechanic", JSONText.optional(correctedMechanic(line))))
    }
    fields.append(("explanation", JSONText.explanation(line.explanation)))
    return JSONText.object(fields)
  }

  private func gradeJSON(_ grade: GradeRecord) -> String {
    JSONText.object([
      ("grade", JSONText.string(grade.grade)),
      ("paid_by_due_share", JSONText.string(grade.paidByDueShare.description)),
      ("weighted_days_late", JSONText.string(grade.weightedDaysLate.description)),
      ("dso_days", JSONText.optional(grade.dsoDays?.description)),
      ("explanation", JSONText.explanation(grade.explanation)),
    ])
  }
}
