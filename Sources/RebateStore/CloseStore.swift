import Close
import Foundation
import Mechanics
import PostgresClient
import Pricing
import RebateCore
import SellOut

/// The period close on PostgreSQL: reads documents through one stream, writes a draft in ONE
/// transaction (a killed close leaves the previous state untouched), approves it into a closed,
/// fingerprinted period, and reads statements, exports and reports back.
///
/// It uses three connections: `reader` streams documents and `cursor` payments (on a thread of
/// its own) while `writer` copies results into the open transaction, so no side ever holds the
/// whole period. Without a `cursor` connection the payments of the window are read into memory
/// before the stream.
public final class CloseStore {
  let reader: Connection
  let cursor: Connection?
  let writer: Connection
  let now: () -> String
  let newID: () -> String

  /// Where a draft's grade rows wait for their COPY (`RowSpool`).
  let spoolDirectory: String

  /// `environment` supplies `TMPDIR` for the spool (the process's own by default).
  public init(
    reader: Connection, cursor: Connection? = nil, writer: Connection,
    now: @escaping () -> String,
    newID: @escaping () -> String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.reader = reader
    self.cursor = cursor
    self.writer = writer
    self.now = now
    self.newID = newID
    spoolDirectory = RowSpool.directory(environment)
  }

  var readerStore: PostgresStore { PostgresStore(connection: reader, now: now, newID: newID) }
  var writerStore: PostgresStore { PostgresStore(connection: writer, now: now, newID: newID) }

  /// How far back documents are read: the previous period's same period last year, which covers
  /// growth conditions (E6), invoices still open from earlier periods, and recomputing the
  /// previous period for late data (E10).
  public static func window(_ period: Period, settings: CloseSettings) -> (
    from: Day, cutoffDays: Int
  ) {
    let cutoff =
      [settings.offInvoice.volumeBonus, settings.offInvoice.focusProducts]
      .compactMap { $0?.paidOnly?.cutoffDaysAfterPeriodEnd }.max() ?? 0
    return (period.previous.sameLastYear.firstDay, cutoff)
  }

  /// Computes `period` and stores it as a draft, replacing any earlier draft. `newNetUnitPrice`
  /// prices a dealer's unit at a new list price through its cascade (E8); nil leaves price
  /// protection out.
  public func close(
    _ period: Period, settings: CloseSettings, policySource: String, actor: String,
    newNetUnitPrice: ((String, ProductInfo, Day) throws -> ExactDecimal)? = nil
  ) throws -> PeriodSummary {
    let key = period.description
    return try writer.transaction(purpose: "close \(key)") { connection in
      try lockForDraft(period)
      var fold = PeriodClose(period: period, settings: settings)
      let gradeRows = try RowSpool(directory: spoolDirectory)
      var turnoverRows = ""
      let computedAt = now()
      try connection.copyIn(
        "COPY results (dealer_id, period_key, mechanic, line_key, amount_minor, explanation, "
          + "source_refs, computed_at) FROM STDIN", purpose: "write results of \(key)"
      ) { copy in
        // The draft is exactly what the what-if computes; only the writing is the close's own.
        // Rows are encoded on the worker that computed the dealer, written here in dealer order.
        try simulate(
          period, settings: settings, newNetUnitPrice: newNetUnitPrice,
          prepare: { result in Self.rows(result, computedAt: computedAt) }
        ) { result, rows in
          try fold.add(result)
          try copy.send(rows.results)
          try gradeRows.append(rows.grade)
          turnoverRows += rows.turnover
        }
      }
      try connection.copyIn(
        "COPY dealer_grades (dealer_id, period_key, grade, paid_by_due_share, weighted_days_late, "
          + "dso_days, explanation) FROM STDIN", purpose: "write grades of \(key)"
      ) { copy in try gradeRows.replay { try copy.send($0) } }
      try connection.copyIn(
        "COPY period_dealers (period_key, dealer_id, segment, net_turnover_minor) FROM STDIN",
        purpose: "write turnovers of \(key)"
      ) { try $0.send(turnoverRows) }
      let summary = try fold.finish()
      try connection.execute(
        """
        INSERT INTO period_runs (period_key, policy_ref, policy_source, budget_cap, dealer_count,
          line_count, computed_at)
        VALUES ($1, $2, $3, $4::numeric, $5::integer, $6::integer, $7::timestamptz)
        """,
        [
          key, settings.policyReference, policySource, settings.budgetCap?.description,
          String(summary.dealerCount), String(summary.lineCount), computedAt,
        ], purpose: "record the run of \(key)")
      try connection.execute(
        "UPDATE periods SET status = 'draft', fingerprint = $2 WHERE period_key = $1",
        [key, summary.fingerprint], purpose: "mark \(key) draft")
      try writerStore.audit(
        actor: actor, action: "period.close", subject: key,
        details: [
          "fingerprint": summary.fingerprint, "dealers": String(summary.dealerCount),
          "lines": String(summary.lineCount), "policy": settings.policyReference,
        ])
      return summary
    }
  }

  /// Inside the writer's transaction: the period row locked (created when new), refused when
  /// closed, and the previous draft's rows removed.
  private func lockForDraft(_ period: Period) throws {
    let key = period.description
    try writer.execute(
      "INSERT INTO periods (period_key, status) VALUES ($1, 'open') ON CONFLICT DO NOTHING",
      [key], purpose: "register \(key)")
    let status = try writer.query(
      "SELECT status FROM periods WHERE period_key = $1 FOR UPDATE", [key],
      purpose: "lock \(key)")[0].string("status")
    guard status != "closed" else { throw CloseStoreError.periodClosed(key) }
    for table in ["results", "dealer_grades", "period_dealers", "period_runs"] {
      try writer.execute(
        "DELETE FROM \(table) WHERE period_key = $1", [key], purpose: "clear \(table) of \(key)")
    }
  }

  /// One dealer's rows for the three COPY streams of a draft.
  private static func rows(_ result: DealerResult, computedAt: String) -> (
    results: [UInt8], grade: [UInt8], turnover: String
  ) {
    var results = CopyRowBytes()
    for line in result.lines { resultRow(line, computedAt: computedAt, to: &results) }
    var grade = CopyRowBytes()
    if let discipline = result.discipline { gradeRow(GradeRecord(discipline), to: &grade) }
    let turnover = copyLine([
      result.period.description, result.dealer, result.segment,
      String(result.netTurnover.minor),
    ])
    return (results.bytes, grade.bytes, turnover)
  }

  private static func resultRow(
    _ line: ResultLine, computedAt: String, to row: inout CopyRowBytes
  ) {
    var lineKey = ""
    if line.mechanic == adjustmentMechanic {
      lineKey = "\(correctedPeriod(line) ?? "")/\(correctedMechanic(line) ?? "")"
    }
    for value in [
      line.dealer, line.period.description, line.mechanic, lineKey, String(line.amount.minor),
    ] {
      row.field(value)
    }
    explanationField(line.explanation, to: &row)
    // The sources live once, inside the explanation (`explanation->'sources'`): repeating them
    // in `source_refs` doubled the bytes the database parses at close (docs/DECISIONS.md).
    row.field("[]")
    row.field(computedAt)
    row.endRow()
  }

  private static func gradeRow(_ grade: GradeRecord, to row: inout CopyRowBytes) {
    for value in [
      grade.dealer, grade.period.description, grade.grade, grade.paidByDueShare.description,
      grade.weightedDaysLate.description, grade.dsoDays?.description,
    ] {
      row.field(value)
    }
    explanationField(grade.explanation, to: &row)
    row.endRow()
  }

  private static func explanationField(_ explanation: Explanation, to row: inout CopyRowBytes) {
    var json: [UInt8] = []
    ExplanationJSON.append(explanation, to: &json)
    json.withUnsafeBufferPointer { row.field($0) }
  }

  /// Closes a draft for good: its stored results must still hash to the draft's fingerprint.
  public func approve(_ period: Period, by user: String) throws -> String {
    let key = period.description
    return try writer.transaction(purpose: "approve \(key)") { connection in
      let rows = try connection.query(
        "SELECT status, fingerprint FROM periods WHERE period_key = $1 FOR UPDATE", [key],
        purpose: "lock \(key)")
      guard let row = rows.rows.first else { throw CloseStoreError.notDraft(key, status: "open") }
      let status = try row.string("status")
      guard status != "closed" else { throw CloseStoreError.periodClosed(key) }
      guard status == "draft", let stored = try row.optionalString("fingerprint") else {
        throw CloseStoreError.notDraft(key, status: status)
      }
      let recomputed = Fingerprint.sha256(try writerStore.results(period))
      guard recomputed == stored else {
        throw CloseStoreError.fingerprintMismatch(key, stored: stored, recomputed: recomputed)
      }
      try writerStore.close(period, fingerprint: stored, by: user)
      try writerStore.audit(
        actor: user, action: "period.approve", subject: key, details: ["fingerprint": stored])
      return stored
    }
  }

  func linesByDealer(_ period: Period) throws -> [String: [ResultLine]] {
    Dictionary(grouping: try readerStore.results(period), by: \.dealer)
  }

  func grades(_ period: Period) throws -> [String: String] {
    var grades: [String: String] = [:]
    for row in try reader.query(
      "SELECT dealer_id, grade FROM dealer_grades WHERE period_key = $1", [period.description],
      purpose: "read grades of \(period)"
    ).rows {
      grades[try row.string("dealer_id")] = try row.string("grade")
    }
    return grades
  }
}

/// The sell-out side of a close (E7, E8), prefetched for every dealer before documents stream:
/// submissions, sales and coverage, and price drops priced through each dealer's cascade.
struct SellOutInputs: Sendable {
  let data: [Period: [String: SellOutData]]
  let drops: [Period: [String: [PriceDrop]]]
  /// Per period, dealer → average sell-out completeness; only read when a policy condition needs
  /// it (one data-quality pass per reporting dealer). A dealer that never reported is absent: 0 %.
  let completeness: [Period: [String: ExactDecimal]]

  init(
    store: SellOutStore, period: Period, previous: Period?, measureCompleteness: Bool,
    newNetUnitPrice: ((String, ProductInfo, Day) throws -> ExactDecimal)?
  ) throws {
    var data: [Period: [String: SellOutData]] = [:]
    var drops: [Period: [String: [PriceDrop]]] = [:]
    var completeness: [Period: [String: ExactDecimal]] = [:]
    for each in [period] + (previous.map { [$0] } ?? []) {
      data[each] = try store.sellOutData(period: each)
      if let newNetUnitPrice {
        drops[each] = try store.priceDrops(period: each, newNetUnitPrice: newNetUnitPrice)
      }
      if measureCompleteness {
        completeness[each] = try Self.completeness(
          store, period: each, dealers: (data[each] ?? [:]).keys.sorted())
      }
    }
    self.data = data
    self.drops = drops
    self.completeness = completeness
  }

  static func completeness(_ store: SellOutStore, period: Period, dealers: [String]) throws
    -> [String: ExactDecimal]
  {
    let lastMonth = Period.containing(period.lastDay, grain: .month)
    var result: [String: ExactDecimal] = [:]
    for dealer in dealers {
      // Completeness does not depend on the due day (only timeliness does, unread here).
      let reports = try store.status(dealer: dealer, through: lastMonth, dueDayOfNextMonth: 31)
      result[dealer] = try SellOutCompleteness.average(
        over: period, reports: reports.map(\.quality))
    }
    return result
  }

  func documents(_ batch: DealerBatch, profile: Close.DealerProfile, period: Period)
    -> Close.DealerDocuments
  {
    let measured = profile.measured(sellOutCompleteness: completeness[period]?[batch.dealer])
    return Close.DealerDocuments(
      profile: measured, invoices: batch.invoices, creditNotes: batch.creditNotes,
      payments: batch.payments, sellOut: data[period]?[batch.dealer],
      priceDrops: drops[period]?[batch.dealer] ?? [])
  }
}
