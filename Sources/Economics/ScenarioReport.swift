import Close
import RebateCore

extension ScenarioOutcome {
  /// What `rebate simulate SCENARIO` prints: quotes, each dealer's lines, program cost, and
  /// every expectation with its verdict.
  public func text() -> String {
    var out = "SCENARIO \(scenario.name)  \(scenario.period)  policy \(scenario.policy.reference)\n"
    for (name, quote) in quotes {
      out += "\nquote \(name): net unit \(quote.netUnit.grouped), line \(quote.lineTotal.grouped), "
      out += "discount \(quote.effectiveDiscount.percentText(decimals: 2)) %\n"
      out += "  trace \(quote.listPrice.grouped)"
      for step in quote.steps { out += " → \(step.priceAfter) (\(step.label))" }
      out += "\n"
    }
    for result in results {
      out += "\ndealer \(result.dealer) (\(result.segment)): net turnover "
      out += "\(result.netTurnover.grouped)"
      if let grade = result.discipline?.grade { out += ", grade \(grade)" }
      out += "\n"
      for line in result.lines {
        out += "  \(line.mechanic): \(line.amount.grouped)  \(line.explanation.formula)\n"
      }
    }
    if !results.isEmpty { out += "\n" + summary.cost.text() }
    out += "\nEXPECTATIONS\n"
    for check in checks {
      let expected = check.expectation
      out += check.passed ? "  ok    " : "  FAIL  "
      out += "\(expected.subject) \(expected.figure) = \(expected.value)"
      if !check.passed { out += "  (computed \(check.actual ?? "nothing"))" }
      out += "\n"
    }
    return out
  }
}
