import RebateCore

extension Statement {
  /// One JSON object, keys in a fixed order, money as exact decimal strings.
  public func json() -> String {
    JSONText.object([
      ("dealer", JSONText.quoted(dealer)),
      ("period", JSONText.quoted(period.description)),
      ("status", JSONText.quoted(status.rawValue)),
      ("policy", JSONText.quoted(policyReference)),
      ("fingerprint", JSONText.quotedOrNull(fingerprint)),
      ("net_turnover", JSONText.money(netTurnover)),
      ("lines", JSONText.array(lines.map(lineJSON))),
      ("adjustments", JSONText.array(adjustments.map(lineJSON))),
      ("total", JSONText.money(total)),
      ("payment_grade", grade.map(gradeJSON) ?? "null"),
    ]) + "\n"
  }

  private func lineJSON(_ line: ResultLine) -> String {
    var fields = [
      ("mechanic", JSONText.quoted(line.mechanic)),
      ("amount", JSONText.money(line.amount)),
    ]
    if line.mechanic == adjustmentMechanic {
      fields.append(("corrects_period", JSONText.quotedOrNull(correctedPeriod(line))))
      fields.append(("corrects_mechanic", JSONText.quotedOrNull(correctedMechanic(line))))
    }
    fields.append(("explanation", JSONText.explanation(line.explanation)))
    return JSONText.object(fields)
  }

  private func gradeJSON(_ grade: GradeRecord) -> String {
    JSONText.object([
      ("grade", JSONText.quoted(grade.grade)),
      ("paid_by_due_share", JSONText.quoted(grade.paidByDueShare.description)),
      ("weighted_days_late", JSONText.quoted(grade.weightedDaysLate.description)),
      ("dso_days", JSONText.quotedOrNull(grade.dsoDays?.description)),
      ("explanation", JSONText.explanation(grade.explanation)),
    ])
  }
}
