import Policy
import PolicyFormat
import PostgresClient
import RebateCore

/// One stored version of a dealer's terms with who did what and when.
public struct StoredTerms: Sendable, Hashable {
  public let terms: DealerTerms
  /// `not_needed`, `pending`, `approved` or `rejected`, as stored.
  public let approval: String
  public let issuedAt: String
  public let approvedAt: String?
}

/// Dealer terms in `dealer_terms`: the versions of a dealer, issuing and approving them. The
/// rules (tier, limits, approval by someone else, version in force) are `TermsDesk`'s; this file
/// reads and writes rows, each change together with its audit entry.
public enum DealerTermsStore {
  /// Versions kept per dealer; terms change a few times a year, so this is never reached in use
  /// and bounds what one read returns.
  public static let maxVersionsPerDealer = 10_000

  static let columns = """
    dealer_id, version, policy_id, policy_version, tier, extra_discount_rate::text AS extra,
    effective_from::text AS effective_from, issued_by,
    to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS issued_at,
    approval, approved_by,
    to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS approved_at
    """

  /// Every version of `dealer`'s terms, oldest first.
  public static func history(dealer: String, on connection: Connection) throws -> [StoredTerms] {
    try connection.query(
      "SELECT \(columns) FROM dealer_terms WHERE dealer_id = $1 ORDER BY version LIMIT $2",
      [dealer, String(maxVersionsPerDealer)], purpose: "read terms of \(dealer)"
    ).rows.map(stored)
  }

  /// Every dealer's versions, by dealer, oldest first (the invoice audit prices every dealer).
  public static func allHistories(on connection: Connection) throws -> [String: [DealerTerms]] {
    var result: [String: [DealerTerms]] = [:]
    for row in try connection.query(
      "SELECT \(columns) FROM dealer_terms ORDER BY dealer_id, version",
      purpose: "read every dealer's terms"
    ).rows {
      let terms = try stored(row).terms
      result[terms.dealer, default: []].append(terms)
    }
    return result
  }

  /// Terms waiting for approval, of every dealer.
  public static func pending(on connection: Connection) throws -> [StoredTerms] {
    try connection.query(
      "SELECT \(columns) FROM dealer_terms WHERE approval = 'pending' ORDER BY dealer_id, version",
      purpose: "read pending terms"
    ).rows.map(stored)
  }

  static func stored(_ row: Row) throws -> StoredTerms {
    let approval = try row.string("approval")
    let dealer = try row.string("dealer_id")
    let version = try row.int("version")
    let extra: ExactDecimal
    let effectiveFrom: Day
    do {
      extra = try ExactDecimal.parse(try row.string("extra")).normalized
      effectiveFrom = try Day.parse(try row.string("effective_from"))
    } catch {
      throw StoreError.corruptValue(
        table: "dealer_terms", key: "\(dealer) v\(version)", reason: "\(error)")
    }
    // Rejected versions keep their number but are never in force, like pending ones.
    let terms = DealerTerms(
      dealer: dealer, version: version, policyID: try row.string("policy_id"),
      policyVersion: try row.int("policy_version"), tier: try row.string("tier"),
      extraDiscount: extra, effectiveFrom: effectiveFrom, issuedBy: try row.string("issued_by"),
      status: approval == "approved" || approval == "not_needed" ? .approved : .pending,
      approvedBy: try row.optionalString("approved_by"))
    return StoredTerms(
      terms: terms, approval: approval, issuedAt: try row.string("issued_at"),
      approvedAt: try row.optionalString("approved_at"))
  }

  /// Issues new terms through `TermsDesk.issue` under the version of `policyID` in force on
  /// `effectiveFrom`; above the policy's approval level they are stored `pending`.
  public static func issue(
    dealer: String, policyID: String, tier: String, extraDiscount: ExactDecimal,
    effectiveFrom: Day, by user: String, at now: String, store: PostgresStore
  ) throws -> StoredTerms {
    try store.connection.transaction(purpose: "issue terms of \(dealer)") { connection in
      // Serialises issuers of one dealer so two cannot take the same version number.
      let locked = try connection.query(
        "SELECT 1 FROM dealers WHERE dealer_id = $1 FOR UPDATE", [dealer],
        purpose: "lock dealer \(dealer)")
      guard locked.rowCount == 1 else { throw TermsStoreError.unknownDealer(dealer) }
      let versions = try PolicyVersionStore.versions(of: policyID, on: connection)
      guard let policy = CommercialPolicy.inForce(versions, id: policyID, on: effectiveFrom) else {
        throw TermsStoreError.policyNotInForce(id: policyID, day: effectiveFrom)
      }
      let history = try history(dealer: dealer, on: connection).map(\.terms)
      let terms: DealerTerms
      do {
        terms = try TermsDesk.issue(
          dealer: dealer, policy: policy, tier: tier, extraDiscount: extraDiscount,
          effectiveFrom: effectiveFrom, issuedBy: user, history: history)
      } catch let error as TermsError {
        throw TermsStoreError.rule(code: error.code, description: error.description)
      }
      let approval = terms.status == .pending ? "pending" : "not_needed"
      try connection.execute(
        """
        INSERT INTO dealer_terms (dealer_id, version, effective_from, policy_id, policy_version,
          tier, extra_discount_rate, issued_by, issued_at, approval)
        VALUES ($1, $2, $3::date, $4, $5, $6, $7::numeric, $8, $9::timestamptz, $10)
        """,
        [
          dealer, String(terms.version), effectiveFrom.description, policy.id,
          String(policy.version), tier, extraDiscount.description, user, now, approval,
        ], purpose: "insert terms of \(dealer)")
      try store.audit(
        actor: user, action: "terms.issue", subject: "\(dealer) v\(terms.version)",
        details: [
          "policy": policy.reference, "tier": tier, "extra_discount": Percent.text(extraDiscount),
          "effective_from": effectiveFrom.description, "approval": approval,
        ])
      return try version(terms.version, of: dealer, on: connection, lock: false)
    }
  }

  /// Approves pending terms through `TermsDesk.approve`: the approver is not the issuer.
  public static func approve(
    dealer: String, version number: Int, by user: String, at now: String, store: PostgresStore
  ) throws -> StoredTerms {
    try store.connection.transaction(purpose: "approve terms of \(dealer)") { connection in
      let current = try version(number, of: dealer, on: connection, lock: true)
      guard current.approval == "pending" else {
        throw TermsStoreError.notPending(
          dealer: dealer, version: number, approval: current.approval)
      }
      do {
        _ = try TermsDesk.approve(current.terms, by: user)
      } catch let error as TermsError {
        throw TermsStoreError.rule(code: error.code, description: error.description)
      }
      try connection.execute(
        """
        UPDATE dealer_terms SET approval = 'approved', approved_by = $3, approved_at = $4::timestamptz
        WHERE dealer_id = $1 AND version = $2 AND approval = 'pending'
        """, [dealer, String(number), user, now], purpose: "approve terms \(dealer) v\(number)")
      try store.audit(
        actor: user, action: "terms.approve", subject: "\(dealer) v\(number)",
        details: ["issued_by": current.terms.issuedBy])
      return try version(number, of: dealer, on: connection, lock: false)
    }
  }

  static func version(_ number: Int, of dealer: String, on connection: Connection, lock: Bool)
    throws -> StoredTerms
  {
    let rows = try connection.query(
      "SELECT \(columns) FROM dealer_terms WHERE dealer_id = $1 AND version = $2"
        + (lock ? " FOR UPDATE" : ""), [dealer, String(number)],
      purpose: "read terms \(dealer) v\(number)")
    guard let row = rows.rows.first else {
      throw TermsStoreError.unknownTermsVersion(dealer: dealer, version: number)
    }
    return try stored(row)
  }
}
