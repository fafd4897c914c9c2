import Glibc
import Synchronization

/// A small map whose entries expire after `ttlMilliseconds`, so the hot routes (token check,
/// quote inputs) skip the database for repeated requests. A TTL of 0 disables it. Changes made
/// through this server drop their entries at once; changes made elsewhere (the CLI, imports)
/// are seen within the TTL (docs/DECISIONS.md).
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  /// Bounds memory: when full, the whole map is dropped and refilled from the database.
  static var maxEntries: Int { 100_000 }

  let ttlMilliseconds: Int
  private let entries = Mutex<[Key: (value: Value, expiresAtMicroseconds: Int64)]>([:])

  init(ttlMilliseconds: Int) {
    precondition(ttlMilliseconds >= 0, "a cache TTL is not negative")
    self.ttlMilliseconds = ttlMilliseconds
  }

  /// The cached value for `key`, or `load()`'s, which is then kept for the TTL.
  func value(_ key: Key, load: () throws -> Value) throws -> Value {
    guard ttlMilliseconds > 0 else { return try load() }
    let now = Self.monotonicMicroseconds()
    if let hit = entries.withLock({ $0[key] }), hit.expiresAtMicroseconds > now {
      return hit.value
    }
    let value = try load()
    let expiry = now + Int64(ttlMilliseconds) * 1000
    entries.withLock { entries in
      if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
      entries[key] = (value, expiry)
    }
    return value
  }

  func remove(_ key: Key) { _ = entries.withLock { $0.removeValue(forKey: key) } }

  static func monotonicMicroseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000
  }
}
