import RebateCore

/// Waterfall rows as text: one line per invoice line with every step, then per dealer.
extension Waterfall {
  public static func text(_ rows: [WaterfallRow], period: Period, floor: ExactDecimal?) -> String {
    let floorText = floor.map { $0.percentText(decimals: 2) + " %" } ?? "none"
    var out = "PRICE WATERFALL \(period)  margin floor over cost \(floorText)\n\n"
    let headings =
      ["Dealer", "Document", "Line", "SKU", "List", "On-invoice"]
      + WaterfallStep.allCases.map(\.rawValue) + ["Pocket", "Cost", "Margin", "Over cost", ""]
    out += headings.joined(separator: "\t") + "\n"
    for row in rows {
      let cells =
        [
          row.line.dealer, row.line.document, String(row.line.line), row.line.sku,
          row.listAmount.grouped, row.onInvoiceDiscount.grouped,
        ] + row.steps.map(\.grouped) + [
          row.pocketAmount.grouped, row.costAmount.grouped, row.pocketMargin.grouped,
          row.marginOverCost.map { $0.percentText(decimals: 2) + " %" } ?? "n/a",
          row.belowFloor ? "BELOW FLOOR" : "",
        ]
      out += cells.joined(separator: "\t") + "\n"
    }
    return out
  }

  /// Dealers with at least one line under the floor, with how many and their pocket margin.
  public static func dealersBelowFloor(_ rows: [WaterfallRow]) throws -> [(
    dealer: String, lines: Int, margin: Money
  )] {
    let below = Dictionary(grouping: rows.filter(\.belowFloor)) { $0.line.dealer }
    return try below.sorted { $0.key < $1.key }.map { dealer, lines in
      (dealer, lines.count, try Money.sum(lines.map(\.pocketMargin)))
    }
  }
}
