import RebateCore

extension Statement {
  static let csvHeader = [
    "dealer", "period", "status", "line", "mechanic", "corrects_period", "amount", "rule",
    "inputs", "formula", "sources", "note",
  ]

  /// One row per line (adjustments included), then a total row; inputs and sources are joined
  /// with `; ` inside their cells.
  public func csv() -> String {
    var out = CSVText.row(Self.csvHeader)
    for (index, line) in (lines + adjustments).enumerated() {
      let explanation = line.explanation
      out += CSVText.row([
        dealer, period.description, status.rawValue, String(index + 1), line.mechanic,
        correctedPeriod(line) ?? "", line.amount.description, explanation.rule,
        explanation.inputs.map { "\($0.name): \($0.value)" }.joined(separator: "; "),
        explanation.formula, explanation.sources.map(sourceText).joined(separator: "; "),
        explanation.note ?? "",
      ])
    }
    out += CSVText.row([
      dealer, period.description, status.rawValue, "", "total", "", total.description, "", "", "",
      "", grade.map { "payment grade \($0.grade)" } ?? "",
    ])
    return out
  }
}
