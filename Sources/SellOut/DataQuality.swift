import RebateCore

/// How trustworthy one dealer's sell-out data for one month is: finance looks at this before it
/// pays anything that depends on sell-out (reporting bonus, price protection).
public struct DataQualityReport: Sendable, Hashable {
  public let dealer: String
  public let month: Period
  public let timeliness: ReportTimeliness
  public let versionCount: Int
  /// SKUs the dealer could have sold this month: in stock at its start or shipped during it.
  public let skusSellable: Int
  /// Of those, how many the current version reports.
  public let skusReported: Int
  /// `skusReported / skusSellable` to four decimals; nil when nothing was sellable.
  public let completeness: ExactDecimal?
  /// Lines of the current version that repeat a line of the previous version.
  public let linesRepeatedFromPreviousVersion: Int
  /// Lines of the previous version the current one no longer has: a dealer who sends only the
  /// additions as a new version loses these, because the current version replaces the others.
  public let linesDroppedFromPreviousVersion: Int
  /// Units sold out by the month's end beyond everything shipped and not returned, per SKU.
  public let soldNeverShipped: [String: Int64]
  /// Units in stock at the month's end of SKUs that sold nothing during it, per SKU.
  public let idleStock: [String: Int64]
}

public enum DataQuality {
  /// `versionLines` are the lines of every version of the month, oldest first; `sales` are the
  /// dealer's current sell-out lines of every month so far, for the channel inventory.
  public static func assess(
    dealer: String, month: Period, history: SubmissionHistory, dueDayOfNextMonth: Int,
    versionLines: [[SellOutLine]], shipments: [Shipment], returns: [CreditedReturn],
    sales: [SoldOut]
  ) -> DataQualityReport {
    precondition(month.grain == .month, "data quality is judged per reporting month")
    let current = versionLines.last ?? []
    let atStart = ChannelInventory.at(
      month.firstDay, shipments: shipments, returns: returns, sales: sales)
    let afterEnd = month.lastDay.adding(days: 1)
    let atEnd = ChannelInventory.at(afterEnd, shipments: shipments, returns: returns, sales: sales)
    var sellable = Set(atStart.values.filter { $0.remaining > 0 }.map(\.sku))
    sellable.formUnion(shipments.filter { month.contains($0.day) }.map(\.sku))
    let reported = Set(current.map(\.sku)).intersection(sellable)
    let completeness =
      sellable.isEmpty
      ? nil
      : try? ExactDecimal(reported.count).divided(
        by: ExactDecimal(sellable.count), scale: 4, .halfUp)
    let soldInMonth = Set(current.filter { $0.quantity > 0 }.map(\.sku))
    let previous = versionLines.count >= 2 ? versionLines[versionLines.count - 2] : []
    let (repeated, dropped) = overlap(current: current, previous: previous)
    return DataQualityReport(
      dealer: dealer, month: month,
      timeliness: history.timeliness(
        dealer: dealer, month: month, dueDayOfNextMonth: dueDayOfNextMonth),
      versionCount: versionLines.count, skusSellable: sellable.count,
      skusReported: reported.count, completeness: completeness,
      linesRepeatedFromPreviousVersion: repeated, linesDroppedFromPreviousVersion: dropped,
      soldNeverShipped: atEnd.compactMapValues {
        $0.soldNeverShipped > 0 ? $0.soldNeverShipped : nil
      },
      idleStock: atEnd.filter { !soldInMonth.contains($0.key) }
        .compactMapValues { $0.remaining > 0 ? $0.remaining : nil })
  }

  /// Lines compared by content (day, SKU, quantity, price), counting repeats like a multiset.
  private static func overlap(current: [SellOutLine], previous: [SellOutLine]) -> (Int, Int) {
    struct Content: Hashable {
      let day: Day
      let sku: String
      let quantity: Int64
      let resalePrice: Money?
    }
    var remaining: [Content: Int] = [:]
    for line in previous {
      remaining[
        Content(
          day: line.day, sku: line.sku, quantity: line.quantity, resalePrice: line.resalePrice),
        default: 0] += 1
    }
    var repeated = 0
    for line in current {
      let key = Content(
        day: line.day, sku: line.sku, quantity: line.quantity, resalePrice: line.resalePrice)
      if let count = remaining[key], count > 0 {
        remaining[key] = count - 1
        repeated += 1
      }
    }
    return (repeated, previous.count - repeated)
  }
}
