import PostgresClient
import RebateCore
import SellOut

/// One stored version of a dealer's monthly report.
public struct SubmissionRecord: Sendable, Hashable {
  public let month: Period
  public let version: Int
  public let sha256: String
  /// ISO-8601 UTC.
  public let submittedAt: String
  public let submittedBy: String
  public let lineCount: Int
  /// The manufacturer's calendar is UTC: the day part of the timestamp (docs/DECISIONS.md).
  public let receivedOn: Day
}

/// One reporting month of a dealer as `rebate sellout status` shows it.
public struct MonthReportStatus: Sendable {
  public let month: Period
  public let versions: [SubmissionRecord]
  public let quality: DataQualityReport
}

extension SellOutStore {
  /// Every version of the dealer's reports for months up to `through` (all when nil), oldest
  /// month and version first.
  public func submissions(dealer: String, through: Period? = nil) throws -> [SubmissionRecord] {
    let last = (through?.lastDay ?? Day(daysSinceEpoch: Int32.max / 2)).description
    return try connection.query(
      """
      SELECT to_char(s.report_month, 'YYYY-MM') AS month, s.version, s.raw_sha256,
        to_char(s.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS submitted_at,
        s.submitted_by,
        (SELECT count(*) FROM sellout_lines l WHERE l.dealer_id = s.dealer_id
          AND l.report_month = s.report_month AND l.version = s.version) AS lines
      FROM sellout_submissions s
      WHERE s.dealer_id = $1 AND s.report_month <= $2::date
      ORDER BY s.report_month, s.version
      """, [dealer, last], purpose: "read sell-out submissions of \(dealer)"
    ).rows.map { row in
      let month = try Period.parse(try row.string("month"))
      let version = try row.int("version")
      let submittedAt = try row.string("submitted_at")
      // A timestamp set by SQL past year 9999 prints with five digits: refused, never trapped.
      guard let receivedOn = try? Day.parse(String(submittedAt.prefix(10))) else {
        throw StoreError.corruptValue(
          table: "sellout_submissions", key: "\(dealer) \(month) v\(version)",
          reason: "submitted_at \(submittedAt) has no UTC day YYYY-MM-DD")
      }
      return SubmissionRecord(
        month: month, version: version, sha256: try row.string("raw_sha256"),
        submittedAt: submittedAt, submittedBy: try row.string("submitted_by"),
        lineCount: try row.int("lines"), receivedOn: receivedOn)
    }
  }

  /// The dealer's submissions as the SellOut module's history (E7 timeliness, E8 coverage).
  public func history(dealer: String, through: Period? = nil) throws -> SubmissionHistory {
    var history = SubmissionHistory()
    for record in try submissions(dealer: dealer, through: through) {
      _ = try history.record(
        dealer: dealer, month: record.month, sha256: record.sha256,
        receivedOn: record.receivedOn, lineCount: record.lineCount)
    }
    return history
  }

  /// Units sold per day and SKU from the CURRENT version of each month, dated before `before`.
  public func sales(dealer: String, before: Day, sku: String? = nil) throws -> [SoldOut] {
    try connection.query(
      """
      SELECT l.sold_on::text AS sold_on, l.sku, sum(l.qty)::bigint AS qty
      FROM sellout_lines l
      JOIN (SELECT report_month, max(version) AS version FROM sellout_submissions
        WHERE dealer_id = $1 AND report_month < $2::date GROUP BY report_month) c
        ON c.report_month = l.report_month AND c.version = l.version
      WHERE l.dealer_id = $1 AND l.sold_on < $2::date AND ($3::text IS NULL OR l.sku = $3)
      GROUP BY l.sold_on, l.sku ORDER BY l.sold_on, l.sku
      """, [dealer, before.description, sku], purpose: "read sell-out of \(dealer)"
    ).rows.map { row in
      SoldOut(
        day: try Day.parse(try row.string("sold_on")), sku: try row.string("sku"),
        quantity: try row.int64("qty"))
    }
  }

  /// The lines of every version of one month, oldest version first.
  public func versionLines(dealer: String, month: Period) throws -> [[SellOutLine]] {
    var versions: [Int: [SellOutLine]] = [:]
    for row in try connection.query(
      """
      SELECT version, line, sold_on::text AS sold_on, sku, qty, resale_price_minor
      FROM sellout_lines WHERE dealer_id = $1 AND report_month = $2::date
      ORDER BY version, line
      """, [dealer, month.firstDay.description], purpose: "read lines of \(dealer) \(month)"
    ).rows {
      let line = SellOutLine(
        lineNumber: try row.int("line"), day: try Day.parse(try row.string("sold_on")),
        sku: try row.string("sku"), quantity: try row.int64("qty"),
        resalePrice: try row.optionalInt64("resale_price_minor").map { Money(minor: $0) })
      versions[try row.int("version"), default: []].append(line)
    }
    let count = try submissions(dealer: dealer, through: month).filter { $0.month == month }.count
    return (0..<count).map { versions[$0 + 1] ?? [] }
  }

  /// Per reported month: versions, timeliness and data quality. Months from the first report
  /// through `through` are listed, missing ones included.
  public func status(dealer: String, through: Period, dueDayOfNextMonth: Int) throws
    -> [MonthReportStatus]
  {
    try requireDealer(dealer)
    let records = try submissions(dealer: dealer, through: through)
    guard let first = records.first?.month else { return [] }
    let history = try history(dealer: dealer, through: through)
    let afterLast = through.lastDay.adding(days: 1)
    let shipments = try shipments(dealer: dealer, before: afterLast)
    let returns = try creditedReturns(dealer: dealer, before: afterLast)
    let sales = try sales(dealer: dealer, before: afterLast)
    var statuses: [MonthReportStatus] = []
    var month = first
    while month <= through {
      let quality = DataQuality.assess(
        dealer: dealer, month: month, history: history, dueDayOfNextMonth: dueDayOfNextMonth,
        versionLines: try versionLines(dealer: dealer, month: month), shipments: shipments,
        returns: returns, sales: sales)
      statuses.append(
        MonthReportStatus(
          month: month, versions: records.filter { $0.month == month }, quality: quality))
      month = month.next
    }
    return statuses
  }
}
