import RebateCore
import Testing

@testable import Economics

private let q3 = try! Period.parse("2026-Q3")

private func activity(
  _ dealer: String, _ last: String?, orders: Int, turnover: String, previous: Int,
  grade: String? = nil
) throws -> DealerActivity {
  DealerActivity(
    dealer: dealer, lastOrderDay: try last.map { try Day.parse($0) }, orderCount: orders,
    netTurnover: try Money.parse(turnover), previousOrderCount: previous, grade: grade)
}

/// Five dealers, Q3 2026 (ends 09-30); scores and segments computed by hand in docs/economics.md.
private func sample() throws -> [DealerActivity] {
  [
    try activity("D4", "2026-07-15", orders: 1, turnover: "50000.00", previous: 2),
    try activity("D1", "2026-09-28", orders: 6, turnover: "500000.00", previous: 5, grade: "A"),
    try activity("D3", "2026-08-31", orders: 4, turnover: "100000.00", previous: 9, grade: "C"),
    try activity("D2", "2026-09-20", orders: 4, turnover: "800000.00", previous: 4, grade: "B"),
    try activity("D5", nil, orders: 0, turnover: "0.00", previous: 0),
  ]
}

@Test func rfmScoresAndSegmentsOfFiveDealers() throws {
  let segments = try Segmentation.segments(try sample(), period: q3)
  #expect(segments.map(\.dealer) == ["D1", "D2", "D3", "D4", "D5"])
  #expect(segments.map(\.cell) == ["R5 F5 M4", "R4 F4 M5", "R3 F3 M3", "R2 F2 M2", "R1 F1 M1"])
  #expect(
    segments.map(\.segment) == ["champions", "champions", "regular", "hibernating", "hibernating"])
  #expect(segments.map(\.recencyDays) == [2, 10, 30, 77, nil])
  #expect(segments.map(\.grade) == ["A", "B", "C", nil, nil])
}

@Test func tiesAreBrokenByDealerID() throws {
  // D2 and D3 both placed 4 orders: D2 ranks first, so F4 and F3.
  let segments = try Segmentation.segments(try sample().reversed(), period: q3)
  #expect(segments.first { $0.dealer == "D2" }?.frequency == 4)
  #expect(segments.first { $0.dealer == "D3" }?.frequency == 3)
}

@Test func quintileOfRankForSevenDealers() throws {
  let activities = try (1...7).map {
    try activity("X\($0)", nil, orders: 10 - $0, turnover: "1.00", previous: 0)
  }
  let scores = Segmentation.scores(activities) {
    Segmentation.compare($0.orderCount, $1.orderCount)
  }
  // 5 − ⌊5r/7⌋ for r = 0…6.
  #expect((1...7).map { scores["X\($0)"] } == [5, 5, 4, 3, 3, 2, 1])
}

@Test func segmentRulesInOrder() {
  #expect(Segmentation.segmentName(recency: 4, frequency: 4, monetary: 4) == "champions")
  #expect(Segmentation.segmentName(recency: 3, frequency: 5, monetary: 1) == "loyal")
  #expect(Segmentation.segmentName(recency: 5, frequency: 1, monetary: 5) == "new")
  #expect(Segmentation.segmentName(recency: 2, frequency: 3, monetary: 5) == "at_risk")
  #expect(Segmentation.segmentName(recency: 1, frequency: 2, monetary: 5) == "hibernating")
  #expect(Segmentation.segmentName(recency: 3, frequency: 3, monetary: 3) == "regular")
}

@Test func churnSignalWhenOrdersHalve() throws {
  let segments = try Segmentation.segments(try sample(), period: q3)
  // D3 9 → 4 (≤ 4.5) and D4 2 → 1 (≤ 1) churn; D1 grew, D2 kept 4, D5 had too few before.
  #expect(segments.filter(\.churnSignal).map(\.dealer) == ["D3", "D4"])
  let d3 = try #require(segments.first { $0.dealer == "D3" })
  #expect(d3.explanation.note == "orders fell from 9 to 4 (drop ≥ 50 %)")
  let strict = ChurnSettings(minimumPreviousOrders: 3, dropShare: try ExactDecimal.parse("0.5"))
  #expect(
    try Segmentation.segments(try sample(), period: q3, churn: strict).filter(\.churnSignal).map(
      \.dealer) == ["D3"])
}

@Test func segmentationRefusesBadInput() throws {
  var activities = try sample()
  activities.append(try activity("D1", nil, orders: 0, turnover: "0.00", previous: 0))
  #expect(throws: SegmentationError.duplicateDealer("D1")) {
    try Segmentation.segments(activities, period: q3)
  }
  let late = [try activity("D9", "2026-10-01", orders: 1, turnover: "1.00", previous: 0)]
  let error = #expect(throws: SegmentationError.self) {
    try Segmentation.segments(late, period: q3)
  }
  #expect(error?.code == "E-SEGMENT-INPUT")
  #expect(SegmentationError.duplicateDealer("D1").code == "E-SEGMENT-DUPLICATE")
  #expect(SegmentationError.tooManyDealers(100_001).code == "E-SEGMENT-LIMIT")
}

@Test func segmentTextListsEveryDealer() throws {
  let text = Segmentation.text(try Segmentation.segments(try sample(), period: q3), period: q3)
  #expect(text.contains("D3\tR3 F3 M3\tregular\tC\t30\tCHURN: orders fell from 9 to 4"))
  #expect(text.contains("D5\tR1 F1 M1\thibernating\t-\tno order\t\n"))
}
