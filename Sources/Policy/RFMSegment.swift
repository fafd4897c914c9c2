/// The named RFM segments (docs/economics.md), in the order segmentation tries their rules.
/// Defined here, not in Economics, because a policy's `eligible_segments` is checked against
/// them and Economics depends on Policy: one list for the rules and the policy check.
public enum RFMSegment: String, CaseIterable, Sendable {
  case champions
  case loyal
  case new
  case atRisk = "at_risk"
  case hibernating
  case regular

  /// The stored names, in rule order: what `eligible_segments` may list.
  public static var names: [String] { allCases.map(\.rawValue) }

  /// Why `given` is not a list of segment names (its first unknown one), nil when it is. Names
  /// are exact, as stored: `Champions` is a typo for `champions`, not a synonym.
  public static func problem(_ given: [String]) -> String? {
    guard let unknown = given.first(where: { RFMSegment(rawValue: $0) == nil }) else { return nil }
    return "'\(unknown)' is not an RFM segment (\(names.joined(separator: ", ")))"
  }
}
