import RebateCore

extension Statement {
  /// A self-contained page (no external assets) laid out for A4: each line's explanation stays
  /// with its amount across page breaks.
  public func html() -> String {
    let title = "Statement \(dealer) \(period)"
    var body = "<h1>\(HTMLText.escaped(title))</h1>\n<table class=\"header\">\n"
    var header: [(String, String)] = [
      ("Status", status.rawValue), ("Policy", policyReference),
      ("Net turnover", netTurnover.grouped),
      ("Payment grade", grade?.summary ?? "not graded"),
    ]
    if let fingerprint { header.append(("Fingerprint", fingerprint)) }
    for (name, value) in header {
      body += "<tr><th>\(HTMLText.escaped(name))</th><td>\(HTMLText.escaped(value))</td></tr>\n"
    }
    body += "</table>\n"
    for (heading, group) in [("Rebates", lines), ("Adjustments", adjustments)] where !group.isEmpty
    {
      body += "<h2>\(heading)</h2>\n"
      for line in group { body += lineHTML(line) }
    }
    if let grade {
      body +=
        "<h2>Payment discipline</h2>\n<section class=\"line\">\n"
        + explanationHTML(grade.explanation) + "</section>\n"
    }
    body += "<p class=\"total\"><span>Total</span><span>\(total.grouped)</span></p>\n"
    return HTMLText.document(title: title, style: Self.printStyle, body: body)
  }

  /// A4 print: each line kept on one page, amounts in tabular figures.
  static let printStyle = """
    @page { size: A4; margin: 15mm; }
    body { font-family: sans-serif; font-size: 10pt; color: #000; max-width: 180mm; margin: 0 auto; }
    h1 { font-size: 14pt; } h2 { font-size: 12pt; border-bottom: 1px solid #000; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: 1mm 2mm; }
    .line { break-inside: avoid; page-break-inside: avoid; margin-bottom: 4mm; }
    .title, .total { display: flex; justify-content: space-between; font-weight: bold; }
    .amount, .total span:last-child { font-variant-numeric: tabular-nums; }
    .detail th { width: 25%; font-weight: normal; color: #333; }
    @media print { a { color: #000; text-decoration: none; } }
    """

  private func lineHTML(_ line: ResultLine) -> String {
    var title = line.mechanic
    if let closed = correctedPeriod(line), let mechanic = correctedMechanic(line) {
      title += " of \(closed) \(mechanic)"
    }
    return "<section class=\"line\">\n<p class=\"title\"><span>\(HTMLText.escaped(title))</span>"
      + "<span class=\"amount\">\(line.amount.grouped)</span></p>\n"
      + explanationHTML(line.explanation) + "</section>\n"
  }

  private func explanationHTML(_ explanation: Explanation) -> String {
    var rows: [(String, String)] = [("Rule", explanation.rule)]
    rows += explanation.inputs.map { ($0.name, $0.value) }
    rows.append(("Formula", explanation.formula))
    if !explanation.sources.isEmpty {
      rows.append(("Sources", explanation.sources.map(sourceText).joined(separator: "; ")))
    }
    if let note = explanation.note { rows.append(("Note", note)) }
    return "<table class=\"detail\">\n"
      + rows.map {
        "<tr><th>\(HTMLText.escaped($0.0))</th><td>\(HTMLText.escaped($0.1))</td></tr>\n"
      }
      .joined() + "</table>\n"
  }
}
