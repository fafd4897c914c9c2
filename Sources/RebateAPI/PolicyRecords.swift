import Policy
import PostgresClient
import Pricing
import RebateCore
import RebateStore
import Synchronization

/// A loaded policy version decoded once, with its price engine. A class: every quote takes it
/// from the cache, and copying the struct retained each of its many fields.
final class LoadedPolicy: Sendable {
  let policy: CommercialPolicy
  let engine: PriceEngine

  init(policy: CommercialPolicy, engine: PriceEngine) {
    self.policy = policy
    self.engine = engine
  }
}

/// Decoded policy versions by id and version. Loaded versions are immutable in the database
/// (schema/004_immutability.sql), so an entry never goes stale; the cap bounds memory.
final class PolicyCache: Sendable {
  static let maxEntries = 256
  private let entries = Mutex<[Key: LoadedPolicy]>([:])

  /// A struct key: formatting `id v version` as text on every quote cost more than the lookup.
  private struct Key: Hashable {
    let id: String
    let version: Int
  }

  /// The decoded version, read through `PolicyVersionStore` on first use.
  func policy(id: String, version: Int, on connection: Connection) throws -> LoadedPolicy {
    try policy(id: id, version: version) { try $0(connection) }
  }

  /// The same, checking a connection out of the pool only when the version is not cached yet.
  func policy(id: String, version: Int, services: APIServices) throws -> LoadedPolicy {
    try policy(id: id, version: version) { read in try services.withConnection(read) }
  }

  private func policy(
    id: String, version: Int,
    connecting: ((Connection) throws -> CommercialPolicy) throws -> CommercialPolicy
  ) throws -> LoadedPolicy {
    let key = Key(id: id, version: version)
    if let hit = entries.withLock({ $0[key] }) { return hit }
    let loaded = try TermsRecords.storeCall {
      let policy = try connecting { connection in
        try PolicyVersionStore.version(id: id, version: version, on: connection)
      }
      return LoadedPolicy(policy: policy, engine: try LineQuoteStore.engine(for: policy))
    }
    entries.withLock { cache in
      if cache.count >= Self.maxEntries { cache.removeAll() }
      cache[key] = loaded
    }
    return loaded
  }
}

/// Policies as the API shows and loads them, through `PolicyVersionStore` (the same calls as
/// `rebate policy load`).
enum PolicyRecords {
  struct Summary: Encodable {
    let id: String
    let version: Int
    let name: String
    let effective_from: String
    let tiers: [String]
    let source_sha256: String
  }

  /// Validates `text` (every problem listed) and stores it as a new version; the same text again
  /// is the version already stored. The store checks the cascade and writes the audit entry.
  static func load(_ text: String, by user: String, services: APIServices, store: PostgresStore)
    throws -> Summary
  {
    let policy: CommercialPolicy
    switch PolicyDecoder.decode(text, file: "request body") {
    case .failure(let problems): throw APIError.rule("E-POLICY-INVALID", problems.description)
    case .success(let decoded): policy = decoded
    }
    let result = try TermsRecords.storeCall {
      try PolicyVersionStore.load(
        text, decoded: policy, at: services.now(), by: user, store: store)
    }
    return summary(policy, hash: result.sourceSHA256)
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
}
