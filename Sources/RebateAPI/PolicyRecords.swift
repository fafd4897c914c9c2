import PostgresClient
import Policy
import Pricing
import RebateCore
import Synchronization

/// A loaded policy version decoded once, with its price engine.
struct LoadedPolicy: Sendable {
  let policy: CommercialPolicy
  let engine: PriceEngine
}

/// Decoded policy versions by `id v version`. Loaded versions are immutable in the database
/// (schema/004_immutability.sql), so an entry never goes stale; the cap bounds memory.
final class PolicyCache: Sendable {
  static let maxEntries = 256
  private let entries = Mutex<[String: LoadedPolicy]>([:])

  /// The decoded version, reading and decoding it on first use.
  func policy(id: String, version: Int, on connection: Connection) throws -> LoadedPolicy {
    let key = "\(id) v\(version)"
    if let hit = entries.withLock({ $0[key] }) { return hit }
    let rows = try connection.query(
      "SELECT source_text FROM policies WHERE policy_id = $1 AND version = $2",
      [id, String(version)], purpose: "read policy \(key)")
    guard let row = rows.rows.first else { throw APIError.notFound("policy \(key) is not loaded") }
    let loaded = try PolicyRecords.decode(try row.string("source_text"), file: key)
    entries.withLock { cache in
      if cache.count >= Self.maxEntries { cache.removeAll() }
      cache[key] = loaded
    }
    return loaded
  }
}

/// Policies stored in the `policies` table: loading a new version and listing them.
enum PolicyRecords {
  /// A policy text is a reviewed document of a few hundred lines; this bounds a request.
  static let maxSourceBytes = 1 << 20

  struct Summary: Encodable {
    let id: String
    let version: Int
    let name: String
    let effective_from: String
    let tiers: [String]
    let source_sha256: String
  }

  static func decode(_ text: String, file: String) throws -> LoadedPolicy {
    switch PolicyDecoder.decode(text, file: file) {
    case .failure(let problems):
      throw APIError.rule("E-POLICY-INVALID", problems.description)
    case .success(let policy):
      do {
        return LoadedPolicy(policy: policy, engine: try PriceEngine(policy.cascade))
      } catch {
        throw APIError.rule(error.code, error.description)
      }
    }
  }

  /// Stores a new version; the same text again is accepted as the version already stored.
  static func load(_ text: String, at now: String, on connection: Connection) throws -> Summary {
    guard text.utf8.count <= maxSourceBytes else {
      throw APIError.invalidField("body", "a policy text is at most \(maxSourceBytes) bytes")
    }
    let loaded = try decode(text, file: "request body")
    let policy = loaded.policy
    let hash = SHA256.hex(text)
    let existing = try connection.query(
      "SELECT source_sha256 FROM policies WHERE policy_id = $1 AND version = $2",
      [policy.id, String(policy.version)], purpose: "find policy \(policy.reference)")
    if let row = existing.rows.first {
      guard try row.string("source_sha256") == hash else {
        throw APIError.conflict(
          "E-API-POLICY-VERSION",
          "policy \(policy.reference) is already loaded with other text; raise the version")
      }
    } else {
      try connection.execute(
        """
        INSERT INTO policies (policy_id, version, source_text, source_sha256, loaded_at)
        VALUES ($1, $2, $3, $4, $5::timestamptz)
        """, [policy.id, String(policy.version), text, hash, now],
        purpose: "load policy \(policy.reference)")
    }
    return summary(policy, hash: hash)
  }

  static func summary(_ policy: CommercialPolicy, hash: String) -> Summary {
    Summary(
      id: policy.id, version: policy.version, name: policy.name,
      effective_from: policy.effectiveFrom.description, tiers: policy.tiers, source_sha256: hash)
  }

  static func list(on connection: Connection, cache: PolicyCache) throws -> [Summary] {
    try connection.query(
      "SELECT policy_id, version, source_sha256 FROM policies ORDER BY policy_id, version",
      purpose: "list policies"
    ).rows.map { row in
      let loaded = try cache.policy(
        id: try row.string("policy_id"), version: Int(try row.int64("version")), on: connection)
      return summary(loaded.policy, hash: try row.string("source_sha256"))
    }
  }

  /// Every loaded version of policy `id`, decoded.
  static func versions(of id: String, on connection: Connection, cache: PolicyCache) throws
    -> [CommercialPolicy]
  {
    try connection.query(
      "SELECT version FROM policies WHERE policy_id = $1 ORDER BY version", [id],
      purpose: "list versions of policy \(id)"
    ).rows.map { row in
      try cache.policy(id: id, version: Int(try row.int64("version")), on: connection).policy
    }
  }
}
