import Synchronization

/// Hands out connections to one owner at a time (for the HTTP server's workers). A connection
/// is checked out for the duration of `withConnection` and returned afterwards; at most
/// `capacity` are ever open, and a caller that finds none idle opens a new one up to that cap.
public final class ConnectionPool: Sendable {
  public let conninfo: String
  public let capacity: Int
  private let state: Mutex<PoolState>

  public init(conninfo: String, capacity: Int) {
    precondition(capacity > 0, "a pool needs at least one connection")
    self.conninfo = conninfo
    self.capacity = capacity
    state = Mutex(PoolState())
  }

  /// Runs `body` with a connection nobody else holds. A connection whose body failed with a
  /// broken connection is not returned to the pool.
  public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
    let connection = try checkOut()
    do {
      let value = try body(connection)
      checkIn(connection)
      return value
    } catch let error as PostgresError where error.sqlState == nil {
      discard()
      throw error
    } catch {
      checkIn(connection)
      throw error
    }
  }

  private func checkOut() throws -> Connection {
    let reused: IdleConnection? = try state.withLock { state throws(PoolError) in
      if let idle = state.idle.popLast() { return idle }
      guard state.open < capacity else { throw PoolError.exhausted(capacity) }
      state.open += 1
      return nil
    }
    if let reused { return reused.connection }
    do {
      return try Connection(conninfo)
    } catch {
      discard()
      throw error
    }
  }

  private func checkIn(_ connection: Connection) {
    let handed = IdleConnection(connection: connection)
    state.withLock { $0.idle.append(handed) }
  }

  private func discard() { state.withLock { $0.open -= 1 } }
}

public enum PoolError: Error, Sendable, CustomStringConvertible {
  case exhausted(Int)

  public var description: String {
    switch self {
    case .exhausted(let capacity):
      return "E-DB-POOL: all \(capacity) connections are in use; retry later"
    }
  }
}

struct PoolState: ~Copyable {
  var idle: [IdleConnection] = []
  var open = 0
}

/// An idle connection belongs to the pool alone; the pool's lock is what makes handing it to
/// the next owner safe.
struct IdleConnection: @unchecked Sendable {
  let connection: Connection
}
