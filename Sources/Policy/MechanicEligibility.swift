import RebateCore

/// Who may earn one off-invoice mechanic (`eligible_grades`, `eligible_segments`,
/// `min_sellout_completeness` in the mechanic's section). A condition left out holds for everyone.
public struct MechanicEligibility: Sendable, Hashable {
  /// Payment grades of the PREVIOUS period's close that may earn the mechanic (E11 fed forward);
  /// nil: every grade. A dealer with no grade yet passes: there is no record to hold against it.
  public let grades: Set<String>?
  /// RFM segments (`RFMSegment` names) stored for the PREVIOUS period that may earn the
  /// mechanic; nil: every segment. A dealer the stored segmentation leaves out fails: unlike a
  /// grade, a segment is measured for every active dealer, so its absence is not "no record yet".
  public let segments: Set<String>?
  /// Average sell-out completeness over the period's months (a month not reported counts 0);
  /// nil: not required.
  public let minSellOutCompleteness: ExactDecimal?

  public init(
    grades: Set<String>? = nil, segments: Set<String>? = nil,
    minSellOutCompleteness: ExactDecimal? = nil
  ) {
    precondition(grades.map { !$0.isEmpty } ?? true, "at least one eligible grade")
    precondition(segments.map { !$0.isEmpty } ?? true, "at least one eligible segment")
    self.grades = grades
    self.segments = segments
    self.minSellOutCompleteness = minSellOutCompleteness
  }

  public var isEmpty: Bool { grades == nil && segments == nil && minSellOutCompleteness == nil }
}
