import RebateCore
import SellOut
import Testing

@Suite struct DataQualityTests {
  func day(_ text: String) -> Day { try! Day.parse(text) }

  func line(_ number: Int, _ date: String, _ sku: String, _ quantity: Int64) -> SellOutLine {
    SellOutLine(lineNumber: number, day: day(date), sku: sku, quantity: quantity, resalePrice: nil)
  }

  @Test func julyReportOfOneDealer() throws {
    let july = try Period.parse("2026-07")
    let price = try ExactDecimal.parse("100.00")
    let shipments = [
      Shipment(
        day: day("2026-06-20"), document: "INV-1", sku: "TV-55", quantity: 10, netUnitPrice: price),
      Shipment(
        day: day("2026-07-05"), document: "INV-2", sku: "TV-65", quantity: 5, netUnitPrice: price),
      Shipment(
        day: day("2026-07-10"), document: "INV-3", sku: "SB-100", quantity: 3, netUnitPrice: price),
    ]
    let first = [line(2, "2026-07-02", "TV-55", 2), line(3, "2026-07-06", "TV-65", 1)]
    let second = [line(2, "2026-07-02", "TV-55", 2), line(3, "2026-07-07", "TV-65", 8)]
    var history = SubmissionHistory()
    _ = try history.record(
      dealer: "D1", month: july, sha256: "v1", receivedOn: day("2026-08-09"), lineCount: 2)
    _ = try history.record(
      dealer: "D1", month: july, sha256: "v2", receivedOn: day("2026-08-20"), lineCount: 2)
    let sales =
      [SoldOut(day: day("2026-06-25"), sku: "TV-55", quantity: 4)]
      + second.map { SoldOut(day: $0.day, sku: $0.sku, quantity: $0.quantity) }
    let report = DataQuality.assess(
      dealer: "D1", month: july, history: history, dueDayOfNextMonth: 10,
      versionLines: [first, second], shipments: shipments, returns: [], sales: sales)
    #expect(report.timeliness == .onTime(receivedOn: day("2026-08-09"), due: day("2026-08-10")))
    #expect(report.versionCount == 2)
    #expect(report.skusSellable == 3)
    #expect(report.skusReported == 2)
    #expect(report.completeness?.description == "0.6667")
    #expect(report.linesRepeatedFromPreviousVersion == 1)
    #expect(report.linesDroppedFromPreviousVersion == 1)
    #expect(report.soldNeverShipped == ["TV-65": 3])
    #expect(report.idleStock == ["SB-100": 3])
  }

  @Test func aDealerWithNothingShippedHasNoCompleteness() throws {
    let report = DataQuality.assess(
      dealer: "D9", month: try Period.parse("2026-07"), history: SubmissionHistory(),
      dueDayOfNextMonth: 10, versionLines: [], shipments: [], returns: [], sales: [])
    #expect(report.completeness == nil)
    #expect(report.timeliness == .missing(due: day("2026-08-10")))
  }
}
