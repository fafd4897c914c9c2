import RebateCore
import SellOut

/// What can stop a sell-out command before or after the file itself is read. Codes are stable
/// (docs/errors.md, "Sell-out submissions (database)").
public enum SellOutStoreError: Error, Sendable, CustomStringConvertible {
  /// The dealer is not in master data.
  case unknownDealer(String)
  /// The same bytes were already accepted for another month of this dealer.
  case sameFileOtherMonth(dealer: String, month: Period, otherMonth: Period, version: Int)
  /// The dealer-month already has the most versions one month may have.
  case tooManyVersions(dealer: String, month: Period, limit: Int)
  /// A cross-reference line points at a SKU our catalogue does not have, or is malformed.
  case codeList(file: String, line: Int, value: String, reason: String)
  /// A column mapping names no field the reader knows.
  case unknownField(String)
  /// `--at` is neither a day nor an ISO-8601 UTC timestamp.
  case timestamp(String)

  public var code: String {
    switch self {
    case .unknownDealer: return "E-SELLOUT-UNKNOWN-DEALER"
    case .sameFileOtherMonth: return "E-SELLOUT-SAME-FILE-OTHER-MONTH"
    case .tooManyVersions: return "E-SELLOUT-TOO-MANY-VERSIONS"
    case .codeList: return "E-SELLOUT-CODE-LIST"
    case .unknownField: return "E-SELLOUT-MAP-FIELD"
    case .timestamp: return "E-SELLOUT-AT"
    }
  }

  /// The reason, without the code.
  public var message: String {
    switch self {
    case .unknownDealer(let dealer):
      return "no dealer '\(dealer)'; import dealers first"
    case .sameFileOtherMonth(let dealer, let month, let other, let version):
      return
        "dealer \(dealer): this file is already version \(version) of \(other); "
        + "it cannot also be the report for \(month)"
    case .tooManyVersions(let dealer, let month, let limit):
      return "dealer \(dealer) already has \(limit) versions for \(month); no more accepted"
    case .codeList(let file, let line, let value, let reason):
      return "\(file):\(line): value '\(value)': \(reason)"
    case .unknownField(let field):
      let known = SellOutField.allCases.map(\.rawValue).joined(separator: ", ")
      return "'\(field)' is not a sell-out field; use one of \(known) or none"
    case .timestamp(let text):
      return "'\(text)' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"
    }
  }

  /// A file problem reads `FILE:LINE: value 'V': reason (CODE)` like a sell-out file error.
  public var description: String {
    if case .codeList = self { return "\(message) (\(code))" }
    return "\(code): \(message)"
  }
}
