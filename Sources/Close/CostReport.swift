import Mechanics
import RebateCore

/// Program cost (E12) as text for finance: rebates over net turnover per dealer, segment,
/// mechanic and in total, each checked against the policy's cap.
extension PeriodCost {
  public func text() -> String {
    let capText = cap.map { $0.percentText(decimals: 2) + " %" } ?? "none"
    var out = "PROGRAM COST \(period)  cap \(capText)\n"
    for (heading, rows) in [
      ("Dealer", byDealer), ("Segment", bySegment), ("Mechanic", byMechanic), ("Total", [total]),
    ] {
      out += "\n" + columns([heading, "Rebates", "Net turnover", "Share", "Cap"]) + "\n"
      for row in rows { out += columns(cells(row)) + "\n" }
    }
    return out
  }

  /// One row per dealer, segment, mechanic and the total, for spreadsheets.
  public func csv() -> String {
    var out = CSVText.row(["level", "key", "rebates", "net_turnover", "share", "within_cap"])
    for (level, rows) in [
      ("dealer", byDealer), ("segment", bySegment), ("mechanic", byMechanic), ("total", [total]),
    ] {
      for row in rows {
        out += CSVText.row([
          level, row.key, row.rebates.description, row.turnover.description,
          row.share?.description ?? "", cap == nil ? "" : String(row.withinCap),
        ])
      }
    }
    return out
  }

  private func cells(_ row: CostRow) -> [String] {
    [
      row.key, row.rebates.grouped, row.turnover.grouped,
      row.share.map { $0.percentText(decimals: 2) + " %" } ?? "n/a",
      cap == nil ? "no cap" : row.withinCap ? "within" : "OVER",
    ]
  }

  private func columns(_ cells: [String]) -> String {
    let widths = [20, 18, 20, 10, 8]
    return zip(cells, widths).enumerated().map { index, pair in
      let (cell, width) = pair
      let pad = String(repeating: " ", count: max(0, width - cell.count))
      return index == 0 ? cell + pad : pad + cell
    }.joined(separator: " ")
  }
}
