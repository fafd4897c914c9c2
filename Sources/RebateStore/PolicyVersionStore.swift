import Policy
import PostgresClient
import RebateCore

/// Policy versions in the `policies` table. A loaded version never changes (the database refuses
/// updates, schema/004_immutability.sql): loading the same text again is a no-op, other text under
/// the same id and version is refused, and a change is a new version.
public enum PolicyVersionStore {
  /// A reviewed policy is a few hundred lines; this bounds what one load stores.
  public static let maxSourceBytes = 1 << 20

  public struct LoadResult: Sendable {
    public let policy: CommercialPolicy
    public let sourceSHA256: String
    /// False when exactly this text was already loaded.
    public let stored: Bool
  }

  /// Stores `policy` (decoded from `text`) as a new immutable version, with an audit entry; its
  /// cascade must build a price engine.
  public static func load(
    _ text: String, decoded policy: CommercialPolicy, at now: String, by actor: String,
    store: PostgresStore
  ) throws -> LoadResult {
    let bytes = text.utf8.count
    guard bytes <= maxSourceBytes else {
      throw TermsStoreError.policyTooLarge(bytes: bytes, limit: maxSourceBytes)
    }
    // A version that cannot price is refused here, so the API and the CLI load the same policies.
    _ = try LineQuoteStore.engine(for: policy)
    let hash = SHA256.hex(text)
    return try store.connection.transaction(purpose: "load policy \(policy.reference)") {
      connection in
      // ON CONFLICT: two loads of one version at once end as one row, and the hash check below
      // tells the second whether its text was the same.
      let inserted = try connection.execute(
        """
        INSERT INTO policies (policy_id, version, source_text, source_sha256, loaded_at)
        VALUES ($1, $2, $3, $4, $5::timestamptz) ON CONFLICT (policy_id, version) DO NOTHING
        """, [policy.id, String(policy.version), text, hash, now],
        purpose: "load policy \(policy.reference)")
      if inserted == 0 {
        let existing = try connection.query(
          "SELECT source_sha256 FROM policies WHERE policy_id = $1 AND version = $2",
          [policy.id, String(policy.version)], purpose: "read policy \(policy.reference)")
        guard try existing[0].string("source_sha256") == hash else {
          throw TermsStoreError.policyVersionConflict(reference: policy.reference)
        }
        return LoadResult(policy: policy, sourceSHA256: hash, stored: false)
      }
      try store.audit(
        actor: actor, action: "policy.load", subject: policy.reference,
        details: ["sha256": hash, "effective_from": policy.effectiveFrom.description])
      return LoadResult(policy: policy, sourceSHA256: hash, stored: true)
    }
  }

  /// One loaded version, decoded.
  public static func version(id: String, version: Int, on connection: Connection) throws
    -> CommercialPolicy
  {
    let reference = "\(id) v\(version)"
    let rows = try connection.query(
      "SELECT source_text FROM policies WHERE policy_id = $1 AND version = $2",
      [id, String(version)], purpose: "read policy \(reference)")
    guard let row = rows.rows.first else {
      throw TermsStoreError.storedPolicyInvalid(reference: reference, problems: "not loaded")
    }
    return try decode(try row.string("source_text"), reference: reference)
  }

  /// Every loaded version of policy `id`, oldest first.
  public static func versions(of id: String, on connection: Connection) throws
    -> [CommercialPolicy]
  {
    try connection.query(
      "SELECT version, source_text FROM policies WHERE policy_id = $1 ORDER BY version", [id],
      purpose: "read versions of policy \(id)"
    ).rows.map { row in
      try decode(try row.string("source_text"), reference: "\(id) v\(try row.int("version"))")
    }
  }

  static func decode(_ text: String, reference: String) throws -> CommercialPolicy {
    switch PolicyDecoder.decode(text, file: reference) {
    case .success(let policy): return policy
    case .failure(let problems):
      throw TermsStoreError.storedPolicyInvalid(
        reference: reference, problems: problems.description)
    }
  }
}
