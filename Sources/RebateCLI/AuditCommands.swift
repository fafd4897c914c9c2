import Foundation
import RebateCore
import RebateStore

extension CLI {
  static let invoicesAuditCommand = Command(
    ["invoices", "audit"],
    usage:
      "rebate invoices audit --period P [--tolerance 0.00] [--limit 50] [--csv] [--database URL]",
    summary: "invoice lines priced off the dealer's terms (price leakage) and the amount at stake",
    switches: ["csv"]
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let csv = arguments.flag("csv")
    let toleranceText = try arguments.option("tolerance") ?? "0.00"
    guard let tolerance = try? Money.parse(toleranceText), tolerance.minor >= 0 else {
      throw CLIError.usage("--tolerance takes an amount per unit like 0.01")
    }
    let limit = try count(
      &arguments, "limit", default: csv ? InvoiceAuditStore.maxListLimit : 50,
      range: 0...InvoiceAuditStore.maxListLimit)
    try arguments.finish()
    return try withTermsStore(url, context) { store in
      let report = try InvoiceAuditStore.audit(
        period, tolerance: tolerance, listLimit: limit, connection: store.connection)
      context.console.write(csv ? AuditText.csv(report) : AuditText.text(report))
      return 0
    }
  }
}

/// The invoice audit for finance: the off-terms lines, then what they add up to.
enum AuditText {
  static let columns = [
    "document", "line", "dealer", "date", "sku", "qty", "terms", "expected", "invoiced",
    "at_stake",
  ]

  static func text(_ report: InvoiceAuditReport) -> String {
    var out =
      "Invoice audit \(report.period): \(report.linesChecked) invoice lines checked against "
      + "the dealers' terms; \(report.offTermsCount) off terms\n"
    if !report.listed.isEmpty {
      let rows = report.listed.map { line in
        [
          line.document, String(line.line), line.dealer, line.day.description, line.sku,
          String(line.audit.quantity), "v\(line.termsVersion)",
          line.audit.expectedNetUnit.grouped, line.audit.invoicedNetUnit.grouped,
          line.audit.amountAtStake.grouped,
        ]
      }
      out += table([columns] + rows)
      if report.listed.count < report.offTermsCount {
        out +=
          "... \(report.offTermsCount - report.listed.count) more (--limit N, or --csv for all)\n"
      }
    }
    out +=
      "Invoiced below terms (leakage): lines \(report.belowTermsCount), "
      + "amount \(report.belowTermsAmount.grouped)\n"
    out +=
      "Invoiced above terms: lines \(report.aboveTermsCount), "
      + "amount \(report.aboveTermsAmount.negated.grouped)\n"
    out += "Net amount at stake: \(report.netAtStake.grouped)\n"
    if report.tolerance.minor > 0 {
      out +=
        "Within the tolerance of \(report.tolerance.grouped) per unit (not listed): lines "
        + "\(report.withinToleranceCount), amount \(report.withinToleranceAmount.grouped)\n"
    }
    for (reason, count) in report.notChecked.sorted(by: { $0.key < $1.key }) {
      out += "Not checked: lines \(count): \(reason)\n"
    }
    return out
  }

  static func csv(_ report: InvoiceAuditReport) -> String {
    var out = columns.joined(separator: ",") + "\n"
    for line in report.listed {
      out +=
        [
          line.document, String(line.line), line.dealer, line.day.description, line.sku,
          String(line.audit.quantity), String(line.termsVersion),
          line.audit.expectedNetUnit.description, line.audit.invoicedNetUnit.description,
          line.audit.amountAtStake.description,
        ].joined(separator: ",") + "\n"
    }
    return out
  }

  /// Left-aligned text columns, right-aligned numbers (from `qty` on).
  static func table(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.indices.map { column in
        let value = row[column]
        let pad = String(repeating: " ", count: widths[column] - value.count)
        return column >= 5 ? pad + value : value + pad
      }.joined(separator: "  ").replacingOccurrences(
        of: " +$", with: "", options: .regularExpression)
    }.joined(separator: "\n") + "\n"
  }
}
