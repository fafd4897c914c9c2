import RebateCore

/// The what-if side by side, as text for the terminal and HTML for finance's browser.
extension SimulationComparison {
  static let headings = ["Actual", "% turnover", "Simulated", "% turnover", "Change"]

  var sections: [(title: String, rows: [Row])] {
    [
      ("Mechanic", byMechanic), ("Segment", bySegment), ("Dealer", byDealer), ("Total", [total]),
      ("Gain most", gainers), ("Lose most", losers),
    ]
  }

  var verdict: String {
    identical
      ? "identical to the actual result (fingerprint \(actualFingerprint))"
      : "differs from the actual result (fingerprint \(actualFingerprint) → \(simulatedFingerprint))"
  }

  func cells(_ row: Row) -> [String] {
    let percent = { (amount: Money) in
      row.share(amount).map { $0.percentText(decimals: 2) + " %" } ?? "n/a"
    }
    let change = row.change.minor > 0 ? "+" + row.change.grouped : row.change.grouped
    return [
      row.key, row.actual.grouped, percent(row.actual), row.simulated.grouped,
      percent(row.simulated), change,
    ]
  }

  public func text() -> String {
    var out = "WHAT-IF \(period)  actual \(actualPolicy)  simulated \(simulatedPolicy)\n"
    out += "simulated \(verdict)\nnothing was written\n"
    for (title, rows) in sections {
      out += "\n" + columns([title] + Self.headings) + "\n"
      for row in rows { out += columns(cells(row)) + "\n" }
      if rows.isEmpty { out += "  (none)\n" }
    }
    return out
  }

  public func html() -> String {
    var out =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>What-if \(period)</title>"
    out += "<style>td,th{padding:2px 8px}td+td{text-align:right}</style></head><body>\n"
    out += "<h1>What-if \(period)</h1>\n<p>Actual \(HTMLText.escaped(actualPolicy)), simulated "
    out +=
      "\(HTMLText.escaped(simulatedPolicy)): \(HTMLText.escaped(verdict)). Nothing was written.</p>\n"
    for (title, rows) in sections {
      out += "<h2>\(title)</h2>\n<table>\n<tr>"
      out += ([title] + Self.headings).map { "<th>\($0)</th>" }.joined() + "</tr>\n"
      for row in rows {
        out += "<tr>" + cells(row).map { "<td>\(HTMLText.escaped($0))</td>" }.joined() + "</tr>\n"
      }
      out += "</table>\n"
    }
    return out + "</body></html>\n"
  }

  private func columns(_ cells: [String]) -> String {
    let widths = [20, 18, 11, 18, 11, 16]
    return zip(cells, widths).enumerated().map { index, pair in
      let (cell, width) = pair
      let pad = String(repeating: " ", count: max(0, width - cell.count))
      return index == 0 ? cell + pad : pad + cell
    }.joined(separator: " ")
  }
}
