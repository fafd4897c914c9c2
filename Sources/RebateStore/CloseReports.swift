import Close
import Foundation
import Mechanics
import Policy
import PostgresClient
import RebateCore

/// What a computed period reads back as: statements, the cost report, credit notes, accruals.
extension CloseStore {
  /// The policy file a period's draft was computed under, and its reference.
  public func policySource(_ period: Period) throws -> (reference: String, source: String) {
    guard
      let row = try reader.query(
        "SELECT policy_ref, policy_source FROM period_runs WHERE period_key = $1",
        [period.description], purpose: "read the run of \(period)"
      ).rows.first
    else { throw CloseStoreError.notFound("period \(period) has not been computed") }
    return (try row.string("policy_ref"), try row.string("policy_source"))
  }

  /// The settings of the policy a computed period ran under, decoded from the text stored with
  /// its run: reports, exports and the late-data recompute (E10) apply the rules the period was
  /// computed with, whatever policy is in force now.
  public func storedSettings(_ period: Period) throws -> CloseSettings {
    let (reference, source) = try policySource(period)
    switch PolicyDecoder.decode(source, file: reference) {
    case .success(let policy): return CloseSettings(policy: policy)
    case .failure(let problems):
      throw CloseStoreError.storedPolicyInvalid(
        period: period.description, reference: reference, problems: "\(problems)")
    }
  }

  /// Master data of every dealer (the close prices E8 through each dealer's attributes).
  public func dealers() throws -> [DealerRecord] { try readerStore.dealers() }

  public func statement(dealer: String, period: Period) throws -> Statement {
    let key = period.description
    guard let record = try readerStore.period(period) else {
      throw CloseStoreError.notFound("period \(key) has not been computed")
    }
    guard
      let turnover = try reader.query(
        "SELECT net_turnover_minor FROM period_dealers WHERE period_key = $1 AND dealer_id = $2",
        [key, dealer], purpose: "read turnover of \(dealer) \(key)"
      ).rows.first
    else { throw CloseStoreError.notFound("dealer \(dealer) has no results in \(key)") }
    let lines = try reader.query(
      """
      SELECT mechanic, amount_minor, explanation::text AS explanation FROM results
      WHERE period_key = $1 AND dealer_id = $2 ORDER BY mechanic, line_key
      """, [key, dealer], purpose: "read results of \(dealer) \(key)"
    ).rows.map { row in
      ResultLine(
        dealer: dealer, period: period, mechanic: try row.string("mechanic"),
        amount: Money(minor: try row.int64("amount_minor")),
        explanation: try ExplanationJSON.decode(
          try row.string("explanation"), key: "\(key) \(dealer)"))
    }
    let status = Statement.Status(rawValue: record.status.rawValue) ?? .open
    return try Statement(
      dealer: dealer, period: period, status: status,
      policyReference: try policySource(period).reference, fingerprint: record.fingerprint,
      netTurnover: Money(minor: try turnover.int64("net_turnover_minor")), lines: lines,
      grade: try grade(dealer: dealer, period: period))
  }

  func grade(dealer: String, period: Period) throws -> GradeRecord? {
    guard
      let row = try reader.query(
        """
        SELECT grade, paid_by_due_share::text AS share, weighted_days_late::text AS late,
          dso_days::text AS dso, explanation::text AS explanation
        FROM dealer_grades WHERE period_key = $1 AND dealer_id = $2
        """, [period.description, dealer], purpose: "read grade of \(dealer) \(period)"
      ).rows.first
    else { return nil }
    return GradeRecord(
      dealer: dealer, period: period, grade: try row.string("grade"),
      paidByDueShare: try ExactDecimal.parse(try row.string("share")),
      weightedDaysLate: try ExactDecimal.parse(try row.string("late")),
      dsoDays: try row.optionalString("dso").map { try ExactDecimal.parse($0) },
      explanation: try ExplanationJSON.decode(
        try row.string("explanation"), key: "grade \(dealer) \(period)"))
  }

  /// Every computed dealer of the period with its lines' amounts (explanations left out), in
  /// dealer order: what program cost and credit notes are folded from.
  func amounts(_ period: Period, _ each: (DealerResult) throws -> Void) throws {
    let key = period.description
    var lines: [String: [ResultLine]] = [:]
    for row in try reader.query(
      "SELECT dealer_id, mechanic, line_key, amount_minor FROM results WHERE period_key = $1",
      [key], purpose: "read amounts of \(key)"
    ).rows {
      let dealer = try row.string("dealer_id")
      let lineKey = try row.string("line_key")
      let source = lineKey.split(separator: "/").first.map {
        [SourceDocument(kind: "closed_period", number: String($0))]
      }
      lines[dealer, default: []].append(
        ResultLine(
          dealer: dealer, period: period, mechanic: try row.string("mechanic"),
          amount: Money(minor: try row.int64("amount_minor")),
          explanation: Explanation(
            rule: "", inputs: [], formula: "", sources: lineKey.isEmpty ? [] : source ?? [])))
    }
    let dealers = try reader.query(
      "SELECT dealer_id, segment, net_turnover_minor FROM period_dealers WHERE period_key = $1",
      [key], purpose: "read dealers of \(key)")
    let ordered = try dealers.rows.map {
      (try $0.string("dealer_id"), try $0.string("segment"), try $0.int64("net_turnover_minor"))
    }.sorted { $0.0 < $1.0 }
    for (dealer, segment, turnover) in ordered {
      try each(
        DealerResult(
          dealer: dealer, segment: segment, period: period, netTurnover: Money(minor: turnover),
          lines: lines[dealer] ?? [], discipline: nil))
    }
  }

  /// Program cost of a computed period (E12), against the cap of the policy it ran under.
  public func cost(_ period: Period, settings: CloseSettings) throws -> PeriodCost {
    var fold = PeriodClose(period: period, settings: settings)
    try amounts(period) { try fold.add($0) }
    return try fold.finish().cost
  }

  /// The credit-note export of a computed period, one dealer at a time.
  public func creditNotes(
    _ period: Period, settings: CloseSettings, _ write: (String) throws -> Void
  ) throws {
    try write(CreditNoteExport.header)
    try amounts(period) { result in
      guard result.lines.contains(where: { $0.amount.minor != 0 }) else { return }
      let invoices = try readerStore.documents(
        dealer: result.dealer, from: period.firstDay, through: period.lastDay
      ).invoices
      try write(try CreditNoteExport.rows(result, invoices: invoices, settings: settings))
    }
  }

  /// Accruals of an open period on `asOf`, streamed dealer by dealer.
  public func accruals(
    _ period: Period, asOf: Day, settings: CloseSettings, _ write: (String) throws -> Void
  ) throws {
    let segments = try readerStore.dealersByCode().mapValues(\.segment)
    let stream = CloseDocumentStream(
      documents: reader, payments: cursor, from: Self.window(period, settings: settings).from,
      through: asOf, paymentsThrough: asOf)
    try write(AccrualReport.csvHeader)
    try stream.run { whole in
      let batch = whole.upTo(asOf, paymentsThrough: asOf)
      let documents = Close.DealerDocuments(
        profile: DealerProfile(dealer: batch.dealer, segment: segments[batch.dealer] ?? "unknown"),
        invoices: batch.invoices, creditNotes: batch.creditNotes, payments: batch.payments)
      try write(
        AccrualReport.csvRows(
          try accrueDealer(documents, period: period, asOf: asOf, settings: settings)))
    }
  }
}
