import RebateCore

extension Statement {
  /// Plain text for a terminal or an e-mail, 100 columns wide.
  public func text() -> String {
    var out = "STATEMENT \(dealer) \(period) (\(status.rawValue))\n"
    out += "Policy: \(policyReference)\n"
    if let fingerprint { out += "Fingerprint: \(fingerprint)\n" }
    out += "Net turnover: \(netTurnover.grouped)\n"
    out += "Payment grade: \(grade?.summary ?? "not graded")\n"
    var number = 0
    for (heading, group) in [("Rebates", lines), ("Adjustments", adjustments)] where !group.isEmpty
    {
      out += "\n\(heading)\n"
      for line in group {
        number += 1
        out += lineText(line, number: number)
      }
    }
    if let grade {
      out += "\nPayment discipline\n"
      out += detail(grade.explanation)
    }
    out += "\n" + padded("Total", total.grouped) + "\n"
    return out
  }

  private func lineText(_ line: ResultLine, number: Int) -> String {
    var title = "\(number). \(line.mechanic)"
    if let closed = correctedPeriod(line), let mechanic = correctedMechanic(line) {
      title += " of \(closed) \(mechanic)"
    }
    return padded(title, line.amount.grouped) + "\n" + detail(line.explanation)
  }

  private func detail(_ explanation: Explanation) -> String {
    var out = "   Rule: \(explanation.rule)\n"
    for input in explanation.inputs { out += "   - \(input.name): \(input.value)\n" }
    // A formula over many documents (one term per settlement) reads better one term a line.
    let terms = explanation.formula.split(separator: "; ")
    if terms.count == 1 {
      out += "   Formula: \(explanation.formula)\n"
    } else {
      out += "   Formula:\n" + terms.map { "     \($0)\n" }.joined()
    }
    if explanation.sources.count == 1 {
      out += "   Source: \(sourceText(explanation.sources[0]))\n"
    } else if !explanation.sources.isEmpty {
      out += "   Sources:\n" + explanation.sources.map { "     \(sourceText($0))\n" }.joined()
    }
    if let note = explanation.note { out += "   Note: \(note)\n" }
    return out
  }

  private func padded(_ left: String, _ right: String) -> String {
    let width = 100
    let gap = max(1, width - left.count - right.count)
    return left + String(repeating: " ", count: gap) + right
  }
}

func sourceText(_ source: SourceDocument) -> String {
  var text = "\(source.kind) \(source.number)"
  if let day = source.day { text += " \(day)" }
  if let amount = source.amount { text += " \(amount.grouped)" }
  return text
}
