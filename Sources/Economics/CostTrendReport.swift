import RebateCore

/// The cost trend for finance: a table of shares per period and mechanic, the no-growth flags,
/// and (HTML) the chart.
extension CostTrend {
  public func text() -> String {
    var out = "PROGRAM COST TREND (% of net turnover)\n\n"
    out += pad("Period", 10) + series.map { pad($0, 18, right: true) }.joined() + "\n"
    for period in periods {
      out += pad(period.description, 10)
      out += series.map { pad(shareText(point(period, $0)), 18, right: true) }.joined() + "\n"
    }
    out += "\nBONUSES WITHOUT GROWTH\n"
    out +=
      noGrowthBonuses.isEmpty
      ? "none\n" : noGrowthBonuses.map(flagText).joined(separator: "\n") + "\n"
    return out
  }

  public func html() -> String {
    var out = "<h1>Program cost as % of turnover</h1>\n" + svg()
    out +=
      "<table>\n<tr><th>Period</th>" + series.map { "<th>\(HTMLText.escaped($0))</th>" }.joined()
      + "</tr>\n"
    for period in periods {
      out += "<tr><td>\(period)</td>"
      out +=
        series.map { "<td>\(HTMLText.escaped(shareText(point(period, $0))))</td>" }.joined()
        + "</tr>\n"
    }
    out += "</table>\n<h2>Bonuses paid without volume growth</h2>\n<ul>\n"
    out += noGrowthBonuses.map { "<li>\(HTMLText.escaped(flagText($0)))</li>\n" }.joined()
    return HTMLText.document(
      title: "Program cost trend", style: "table { border-collapse: collapse; }",
      body: out + "</ul>\n")
  }

  func shareText(_ point: TrendPoint?) -> String {
    guard let point else { return "" }
    return point.share.map { $0.percentText(decimals: 2) + " %" } ?? "n/a"
  }

  func flagText(_ flag: NoGrowthBonus) -> String {
    "\(flag.period) \(flag.dealer): bonus \(flag.bonus.grouped) on turnover \(flag.turnover.grouped)"
      + " ≤ \(flag.period.previous) \(flag.previousTurnover.grouped)"
  }
}

private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
  let fill = String(repeating: " ", count: max(1, width - text.count))
  return right ? fill + text : text + fill
}
