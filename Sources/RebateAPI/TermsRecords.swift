import PolicyFormat
import PostgresClient
import Policy
import RebateCore
import RebateStore

/// Dealer terms in `dealer_terms`: the versions of a dealer, issuing and approving them. The
/// rules (limits, approval, version in force) are `TermsDesk`'s; this file only reads and writes
/// rows, and writes each change together with its audit entry.
enum TermsRecords {
  struct View: Encodable {
    let dealer: String
    let version: Int
    let policy: String
    let policy_version: Int
    let tier: String
    let extra_discount_percent: String
    let effective_from: String
    let issued_by: String
    let issued_at: String
    /// `not_needed`, `pending`, `approved` or `rejected`, as stored.
    let approval: String
    let approved_by: String?
  }

  struct Stored {
    let terms: DealerTerms
    let view: View
  }

  /// The columns `stored(_:)` reads, of the `dealer_terms` row aliased `alias`.
  static func columns(_ alias: String = "dealer_terms") -> String {
    let t = alias
    return """
      \(t).dealer_id, \(t).version, \(t).policy_id, \(t).policy_version, \(t).tier,
      \(t).extra_discount_rate::text AS extra, \(t).effective_from::text AS effective_from,
      \(t).issued_by,
      to_char(\(t).issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS issued_at,
      \(t).approval, \(t).approved_by
      """
  }

  /// Every version of `dealer`'s terms, oldest first.
  static func history(dealer: String, on connection: Connection) throws -> [Stored] {
    try connection.query(
      "SELECT \(columns()) FROM dealer_terms WHERE dealer_id = $1 ORDER BY version", [dealer],
      purpose: "read terms of \(dealer)"
    ).rows.map(stored)
  }

  /// Terms waiting for approval, of every dealer.
  static func pending(on connection: Connection) throws -> [Stored] {
    try connection.query(
      "SELECT \(columns()) FROM dealer_terms WHERE approval = 'pending' ORDER BY dealer_id, version",
      purpose: "read pending terms"
    ).rows.map(stored)
  }

  static func stored(_ row: Row) throws -> Stored {
    let approval = try row.string("approval")
    let extra = try ExactDecimal.parse(try row.string("extra")).normalized
    let view = View(
      dealer: try row.string("dealer_id"), version: try row.int("version"),
      policy: try row.string("policy_id"), policy_version: try row.int("policy_version"),
      tier: try row.string("tier"), extra_discount_percent: extra.percentText(decimals: 2),
      effective_from: try row.string("effective_from"), issued_by: try row.string("issued_by"),
      issued_at: try row.string("issued_at"), approval: approval,
      approved_by: try row.optionalString("approved_by"))
    // Rejected versions keep their number but are never in force, like pending ones.
    let terms = DealerTerms(
      dealer: view.dealer, version: view.version, policyID: view.policy,
      policyVersion: view.policy_version, tier: view.tier, extraDiscount: extra,
      effectiveFrom: try Day.parse(view.effective_from), issuedBy: view.issued_by,
      status: approval == "approved" || approval == "not_needed" ? .approved : .pending,
      approvedBy: view.approved_by)
    return Stored(terms: terms, view: view)
  }

  /// Issues new terms through `TermsDesk.issue` under the policy version in force on the
  /// effective date.
  static func issue(
    dealer: String, policyID: String, tier: String, extraDiscount: ExactDecimal,
    effectiveFrom: Day, by user: String, services: APIServices, store: PostgresStore
  ) throws -> View {
    // Dropped after the commit, so a concurrent quote cannot cache the state before it.
    defer { services.quoteDealers.remove(dealer) }
    return try store.connection.transaction(purpose: "issue terms of \(dealer)") { connection in
      // Serialises issuers of one dealer so two requests cannot take the same version number.
      try connection.query(
        "SELECT 1 FROM dealers WHERE dealer_id = $1 FOR UPDATE", [dealer],
        purpose: "lock dealer \(dealer)")
      let versions = try PolicyRecords.versions(
        of: policyID, on: connection, cache: services.policies)
      guard let policy = CommercialPolicy.inForce(versions, id: policyID, on: effectiveFrom)
      else {
        throw APIError.rule(
          "E-API-POLICY-NOT-IN-FORCE", "no loaded version of policy \(policyID) is in force on \(effectiveFrom)")
      }
      let history = try TermsRecords.history(dealer: dealer, on: connection).map(\.terms)
      let terms: DealerTerms
      do {
        terms = try TermsDesk.issue(
          dealer: dealer, policy: policy, tier: tier, extraDiscount: extraDiscount,
          effectiveFrom: effectiveFrom, issuedBy: user, history: history)
      } catch let error as TermsError {
        throw APIError.rule(error.code, error.description)
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
          String(policy.version), tier, extraDiscount.description, user, services.now(), approval,
        ], purpose: "insert terms of \(dealer)")
      try store.audit(
        actor: user, action: "terms.issue", subject: "\(dealer) v\(terms.version)",
        details: [
          "policy": policy.reference, "tier": tier, "extra_discount": Percent.text(extraDiscount),
          "effective_from": effectiveFrom.description, "approval": approval,
        ])
      return try TermsRecords.history(dealer: dealer, on: connection).last!.view
    }
  }

  /// Approves pending terms through `TermsDesk.approve` (the approver is not the issuer).
  static func approve(
    dealer: String, version: Int, by user: String, services: APIServices, store: PostgresStore
  ) throws -> View {
    defer { services.quoteDealers.remove(dealer) }
    return try store.connection.transaction(purpose: "approve terms of \(dealer)") { connection in
      let rows = try connection.query(
        "SELECT \(columns()) FROM dealer_terms WHERE dealer_id = $1 AND version = $2 FOR UPDATE",
        [dealer, String(version)], purpose: "read terms \(dealer) v\(version)")
      guard let row = rows.rows.first else {
        throw APIError.notFound("dealer \(dealer) has no terms version \(version)")
      }
      let current = try stored(row)
      guard current.view.approval == "pending" else {
        throw APIError.rule(
          "E-TERMS-NOT-PENDING", "terms v\(version) of \(dealer) are \(current.view.approval)")
      }
      do {
        _ = try TermsDesk.approve(current.terms, by: user)
      } catch let error as TermsError {
        throw APIError.rule(error.code, error.description)
      }
      try connection.execute(
        """
        UPDATE dealer_terms SET approval = 'approved', approved_by = $3, approved_at = $4::timestamptz
        WHERE dealer_id = $1 AND version = $2 AND approval = 'pending'
        """, [dealer, String(version), user, services.now()],
        purpose: "approve terms \(dealer) v\(version)")
      try store.audit(
        actor: user, action: "terms.approve", subject: "\(dealer) v\(version)",
        details: ["issued_by": current.view.issued_by])
      return try history(dealer: dealer, on: connection).first { $0.view.version == version }!.view
    }
  }
}
