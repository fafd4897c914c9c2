import Foundation
import Glibc
import HTTPServer
import PostgresClient
import Pricing
import RebateStore
import Synchronization

/// What every handler shares: the connection pool (one connection per worker thread), the clock,
/// and the cache of decoded policy versions.
public final class APIServices: Sendable {
  public let pool: ConnectionPool
  let now: @Sendable () -> String
  let policies = PolicyCache()
  /// Token hash → user (nil: unknown or revoked), for `cacheMilliseconds`.
  let principals: ExpiringCache<String, Principal?>
  /// What a quote reads about a dealer and a product, for `cacheMilliseconds`.
  let quoteDealers: ExpiringCache<String, QuoteDealer>
  let quoteProducts: ExpiringCache<ProductOnDay, ProductInfo>

  /// `cacheMilliseconds` 0 reads the database on every request (tests); `rebate serve` keeps
  /// token checks and quote inputs that long (docs/DECISIONS.md).
  public init(
    pool: ConnectionPool, now: @escaping @Sendable () -> String, cacheMilliseconds: Int = 0
  ) {
    self.pool = pool
    self.now = now
    principals = ExpiringCache(ttlMilliseconds: cacheMilliseconds)
    quoteDealers = ExpiringCache(ttlMilliseconds: cacheMilliseconds)
    quoteProducts = ExpiringCache(ttlMilliseconds: cacheMilliseconds)
  }

  /// Runs `body` with a pooled connection; an exhausted pool is a 503, never a wait.
  func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
    do {
      return try pool.withConnection(body)
    } catch is PoolError {
      throw APIError.busy
    }
  }

  /// Runs `body` with a store on a pooled connection.
  func withStore<T>(_ body: (PostgresStore) throws -> T) throws -> T {
    try withConnection { connection in try body(store(on: connection)) }
  }

  func store(on connection: Connection) -> PostgresStore {
    Self.store(on: connection, now: now)
  }

  /// A store whose audit entries get random ids and `now`'s timestamps.
  static func store(on connection: Connection, now: @escaping @Sendable () -> String)
    -> PostgresStore
  {
    PostgresStore(connection: connection, now: now, newID: { UUID().uuidString.lowercased() })
  }

  /// ISO-8601 UTC wall clock with milliseconds, the default `now`. Formatted by hand with
  /// `gmtime_r`: it runs on every request, and a date formatter per call cost more than a quote.
  public static let systemNow: @Sendable () -> String = {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    var seconds = time.tv_sec
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let milliseconds = Int(time.tv_nsec / 1_000_000)
    let millisText =
      String(repeating: "0", count: 3 - String(milliseconds).count) + String(milliseconds)
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millisText)Z"
  }
}
