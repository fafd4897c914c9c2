import RebateCore

extension Segmentation {
  /// One line per dealer: RFM cell, segment, grade and the churn signal.
  public static func text(_ segments: [DealerSegment], period: Period) -> String {
    var out = "SEGMENTS \(period)\n\n"
    out += "Dealer\tRFM\tSegment\tGrade\tDays since order\tChurn\n"
    for segment in segments {
      out +=
        [
          segment.dealer, segment.cell, segment.segment, segment.grade ?? "-",
          segment.recencyDays.map(String.init) ?? "no order",
          segment.churnSignal ? "CHURN: \(segment.explanation.note ?? "")" : "",
        ].joined(separator: "\t") + "\n"
    }
    return out
  }
}
