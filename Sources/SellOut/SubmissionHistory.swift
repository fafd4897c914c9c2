import RebateCore

/// One accepted sell-out file of one dealer for one month. Versions count from 1; every earlier
/// version is kept so that a statement can always show what the dealer had sent at the time.
public struct Submission: Sendable, Hashable {
  public let dealer: String
  public let month: Period
  public let version: Int
  /// SHA-256 of the raw bytes: the identity of the file.
  public let sha256: String
  /// The day the file arrived, in the manufacturer's calendar (the caller converts timestamps).
  public let receivedOn: Day
  public let lineCount: Int

  public init(
    dealer: String, month: Period, version: Int, sha256: String, receivedOn: Day, lineCount: Int
  ) {
    self.dealer = dealer
    self.month = month
    self.version = version
    self.sha256 = sha256
    self.receivedOn = receivedOn
    self.lineCount = lineCount
  }
}

/// When a month's report arrived, measured against its due day.
public enum ReportTimeliness: Sendable, Hashable {
  case onTime(receivedOn: Day, due: Day)
  case late(receivedOn: Day, due: Day)
  case missing(due: Day)

  public var isOnTime: Bool {
    if case .onTime = self { return true }
    return false
  }

  /// "received 2026-09-12, due 2026-09-10: late".
  public var text: String {
    switch self {
    case .onTime(let received, let due): return "received \(received), due \(due): on time"
    case .late(let received, let due): return "received \(received), due \(due): late"
    case .missing(let due): return "not received, due \(due): missing"
    }
  }
}

public enum SubmissionError: Error, Equatable, Sendable, CustomStringConvertible {
  case notAMonth(Period)
  case tooManyVersions(dealer: String, month: Period, limit: Int)

  public var code: String {
    switch self {
    case .notAMonth: return "E-SUBMISSION-NOT-A-MONTH"
    case .tooManyVersions: return "E-SUBMISSION-TOO-MANY-VERSIONS"
    }
  }

  public var description: String {
    switch self {
    case .notAMonth(let period):
      return "\(code): sell-out reports are monthly; '\(period)' is not a month"
    case .tooManyVersions(let dealer, let month, let limit):
      return
        "\(code): dealer \(dealer) already has \(limit) versions for \(month); no more accepted"
    }
  }
}

/// The versions of every dealer's monthly reports, and the rules that decide what a new file is.
public struct SubmissionHistory: Sendable {
  /// A dealer correcting a month more often than this is a process problem, not data.
  public static let maxVersionsPerDealerMonth = 100

  public enum Outcome: Sendable, Hashable {
    /// A file not seen before for this dealer-month: it is now the current version.
    case newVersion(Submission)
    /// The same bytes as an earlier version: one submission, nothing changes.
    case sameAs(Submission)
  }

  private struct Key: Hashable {
    let dealer: String
    let month: Period
  }

  private var versions: [Key: [Submission]] = [:]

  public init() {}

  /// Records a file that the reader accepted.
  public mutating func record(
    dealer: String, month: Period, sha256: String, receivedOn: Day, lineCount: Int
  ) throws(SubmissionError) -> Outcome {
    guard month.grain == .month else { throw .notAMonth(month) }
    let key = Key(dealer: dealer, month: month)
    let existing = versions[key, default: []]
    // Same bytes are one submission wherever they sit in the history, so a resend never
    // creates a version and never moves the first-received day that timeliness is judged on.
    if let earlier = existing.first(where: { $0.sha256 == sha256 }) { return .sameAs(earlier) }
    let limit = Self.maxVersionsPerDealerMonth
    guard existing.count < limit else {
      throw .tooManyVersions(dealer: dealer, month: month, limit: limit)
    }
    let submission = Submission(
      dealer: dealer, month: month, version: existing.count + 1, sha256: sha256,
      receivedOn: receivedOn, lineCount: lineCount)
    versions[key, default: []].append(submission)
    return .newVersion(submission)
  }

  /// Every version, oldest first.
  public func versions(dealer: String, month: Period) -> [Submission] {
    versions[Key(dealer: dealer, month: month)] ?? []
  }

  public func current(dealer: String, month: Period) -> Submission? {
    versions(dealer: dealer, month: month).last
  }

  /// A month is on time when its first version arrived by the due day: later corrections are
  /// welcome and must not turn a punctual report into a late one.
  public func timeliness(dealer: String, month: Period, dueDayOfNextMonth: Int)
    -> ReportTimeliness
  {
    let due = Self.dueDay(of: month, dueDayOfNextMonth: dueDayOfNextMonth)
    guard let first = versions(dealer: dealer, month: month).first else {
      return .missing(due: due)
    }
    return first.receivedOn <= due
      ? .onTime(receivedOn: first.receivedOn, due: due)
      : .late(receivedOn: first.receivedOn, due: due)
  }

  /// Day N of the month after `month`; a due day beyond the month's end means its last day.
  public static func dueDay(of month: Period, dueDayOfNextMonth: Int) -> Day {
    precondition(dueDayOfNextMonth >= 1, "a due day is a day of the month")
    let next = month.next
    let lastDay = Day.daysIn(year: next.year, month: next.firstMonth)
    return next.firstDay.adding(days: min(dueDayOfNextMonth, lastDay) - 1)
  }

  /// The last day of the unbroken run of reported months that starts at `from`; nil when the
  /// month `from` itself has no report. Price protection needs reports up to a day, and a gap
  /// in the middle leaves the channel unknown from there on.
  public func coveredThrough(dealer: String, from: Period) -> Day? {
    var month = from
    var covered: Day? = nil
    while current(dealer: dealer, month: month) != nil {
      covered = month.lastDay
      month = month.next
    }
    return covered
  }
}
