import PostgresClient
import RebateCore
import SellOut

/// What a submission did: a new version of the dealer-month, or nothing because the same bytes
/// were already accepted.
public struct SubmissionReceipt: Sendable, Hashable {
  public enum Kind: String, Sendable {
    case newVersion = "new version", sameAsEarlier = "same file"
  }

  public let kind: Kind
  public let dealer: String
  public let month: Period
  public let version: Int
  public let sha256: String
  /// ISO-8601 UTC time the version was first received (for a resend: the earlier time).
  public let submittedAt: String
  public let lineCount: Int
}

extension SellOutStore {
  /// COPY data goes out in chunks of about this size, so memory does not grow with the file.
  static let copyChunkBytes = 1 << 20

  /// Stores a dealer's file for a month in ONE transaction: the raw bytes with their hash and
  /// time, and every line, as the next version. Identical bytes are the earlier submission and
  /// write nothing; a file with any error throws `SellOutRejection` and writes nothing.
  public func submit(
    dealer: String, month: Period, bytes: [UInt8], submittedAt: String, by user: String
  ) throws -> SubmissionReceipt {
    precondition(month.grain == .month, "sell-out reports are monthly")
    let sha256 = SHA256.hex(bytes)
    return try connection.transaction(purpose: "submit sell-out of \(dealer) for \(month)") { _ in
      try requireDealer(dealer, lock: true)
      if let earlier = try submission(dealer: dealer, sha256: sha256) {
        guard earlier.month == month else {
          throw SellOutStoreError.sameFileOtherMonth(
            dealer: dealer, month: month, otherMonth: earlier.month, version: earlier.version)
        }
        return earlier
      }
      let file = try SellOutFileReader(settings: try readerSettings(dealer: dealer, month: month))
        .read(bytes)
      let version = try nextVersion(dealer: dealer, month: month)
      try insertSubmission(
        dealer: dealer, month: month, version: version, bytes: bytes, sha256: sha256,
        submittedAt: submittedAt, by: user)
      try insertLines(file.lines, dealer: dealer, month: month, version: version)
      return SubmissionReceipt(
        kind: .newVersion, dealer: dealer, month: month, version: version, sha256: sha256,
        submittedAt: submittedAt, lineCount: file.lines.count)
    }
  }

  private func submission(dealer: String, sha256: String) throws -> SubmissionReceipt? {
    let rows = try connection.query(
      """
      SELECT to_char(s.report_month, 'YYYY-MM') AS month, s.version,
        to_char(s.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS submitted_at,
        (SELECT count(*) FROM sellout_lines l WHERE l.dealer_id = s.dealer_id
          AND l.report_month = s.report_month AND l.version = s.version) AS lines
      FROM sellout_submissions s WHERE s.dealer_id = $1 AND s.raw_sha256 = $2
      """, [dealer, sha256], purpose: "find earlier submission of \(dealer)")
    guard let row = rows.rows.first else { return nil }
    return SubmissionReceipt(
      kind: .sameAsEarlier, dealer: dealer, month: try Period.parse(try row.string("month")),
      version: try row.int("version"), sha256: sha256,
      submittedAt: try row.string("submitted_at"), lineCount: try row.int("lines"))
  }

  private func nextVersion(dealer: String, month: Period) throws -> Int {
    let latest = try connection.query(
      """
      SELECT coalesce(max(version), 0) AS latest FROM sellout_submissions
      WHERE dealer_id = $1 AND report_month = $2::date
      """, [dealer, month.firstDay.description], purpose: "read versions of \(dealer) \(month)"
    )[0].int("latest")
    let limit = SubmissionHistory.maxVersionsPerDealerMonth
    guard latest < limit else {
      throw SellOutStoreError.tooManyVersions(dealer: dealer, month: month, limit: limit)
    }
    return latest + 1
  }

  /// The raw bytes travel as COPY's hex bytea text in chunks, never as one giant parameter.
  private func insertSubmission(
    dealer: String, month: Period, version: Int, bytes: [UInt8], sha256: String,
    submittedAt: String, by user: String
  ) throws {
    try connection.copyIn(
      """
      COPY sellout_submissions (dealer_id, report_month, version, submitted_at, submitted_by,
        raw_sha256, raw_bytes) FROM STDIN
      """, purpose: "store file of \(dealer) \(month) v\(version)"
    ) { writer in
      var buffer: [UInt8] = []
      buffer.reserveCapacity(Self.copyChunkBytes + 64)
      for text in [dealer, month.firstDay.description, String(version), submittedAt, user, sha256] {
        CopyText.appendField(text, to: &buffer)
      }
      buffer += Array("\\\\x".utf8)
      let hexDigits = Array("0123456789abcdef".utf8)
      for byte in bytes {
        buffer.append(hexDigits[Int(byte >> 4)])
        buffer.append(hexDigits[Int(byte & 0x0F)])
        if buffer.count >= Self.copyChunkBytes {
          try writer.send(buffer)
          buffer.removeAll(keepingCapacity: true)
        }
      }
      buffer.append(UInt8(ascii: "\n"))
      try writer.send(buffer)
    }
  }

  private func insertLines(_ lines: [SellOutLine], dealer: String, month: Period, version: Int)
    throws
  {
    guard !lines.isEmpty else { return }
    var prefix: [UInt8] = []
    CopyText.appendField(dealer, to: &prefix)
    CopyText.appendField(month.firstDay.description, to: &prefix)
    CopyText.appendField(String(version), to: &prefix)
    // Every line's day is in the month (the reader checked), so its text is looked up.
    let start = month.firstDay
    let dayTexts = (0...start.days(until: month.lastDay)).map {
      Array(start.adding(days: $0).description.utf8)
    }
    try connection.copyIn(
      """
      COPY sellout_lines (dealer_id, report_month, version, line, sold_on, sku, dealer_code, qty,
        resale_price_minor) FROM STDIN
      """, purpose: "store lines of \(dealer) \(month) v\(version)"
    ) { writer in
      var buffer: [UInt8] = []
      buffer.reserveCapacity(Self.copyChunkBytes + 1024)
      for line in lines {
        buffer += prefix
        CopyText.appendInteger(Int64(line.lineNumber), to: &buffer)
        buffer.append(UInt8(ascii: "\t"))
        buffer += dayTexts[start.days(until: line.day)]
        buffer.append(UInt8(ascii: "\t"))
        CopyText.appendField(line.sku, to: &buffer)
        buffer += CopyText.null
        buffer.append(UInt8(ascii: "\t"))
        CopyText.appendInteger(line.quantity, to: &buffer)
        buffer.append(UInt8(ascii: "\t"))
        if let price = line.resalePrice {
          CopyText.appendInteger(price.minor, to: &buffer)
        } else {
          buffer += CopyText.null
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.copyChunkBytes {
          try writer.send(buffer)
          buffer.removeAll(keepingCapacity: true)
        }
      }
      try writer.send(buffer)
    }
  }
}
