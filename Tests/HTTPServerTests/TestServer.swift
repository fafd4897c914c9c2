import Foundation
import Glibc
import HTTPServer
import Synchronization

/// Collects access-log lines in memory.
final class CapturedLog: AccessLogSink {
  private let lines = Mutex<[String]>([])

  func write(line: String) { lines.withLock { $0.append(line) } }

  var all: [String] { lines.withLock { $0 } }

  /// Log lines are written when a request completes, just after the client got its reply;
  /// waits (bounded) until `count` lines are there.
  func waitFor(count: Int, timeoutMilliseconds: Int = 3000) -> [[String: Any]] {
    var waited = 0
    while all.count < count && waited < timeoutMilliseconds {
      usleep(5_000)
      waited += 5
    }
    return all.compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
  }
}

/// A real server on 127.0.0.1 with an ephemeral port, two worker threads and small limits.
struct TestServer {
  let server: Server
  let log = CapturedLog()

  init(
    limits: ServerConfiguration.Limits = TestServer.smallLimits, threadCount: Int = 2,
    handler: @escaping Handler
  ) throws {
    let configuration = ServerConfiguration(
      host: "127.0.0.1", port: 0, threadCount: threadCount, limits: limits)
    server = Server(configuration: configuration, accessLog: log, handler: handler)
    try server.start()
  }

  init(limits: ServerConfiguration.Limits = TestServer.smallLimits, router: Router) throws {
    try self.init(limits: limits, handler: router.handler)
  }

  var port: UInt16 { server.port }

  static var smallLimits: ServerConfiguration.Limits {
    var limits = ServerConfiguration.Limits()
    limits.maxBodyBytes = 1024
    limits.maxHeaderBytes = 2048
    limits.maxUploadsInFlight = 4
    limits.shutdownGraceMilliseconds = 5000
    return limits
  }
}

/// Runs `body` on a new thread (not the test's cooperative pool, which blocking sockets would
/// starve) and lets the test wait for its result.
final class Background<Value: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: Result<Value, any Error>?

  init(_ body: @escaping @Sendable () throws -> Value) {
    let thread = Thread { [self] in
      result = Result { try body() }
      done.signal()
    }
    thread.start()
  }

  func value(timeoutSeconds: Int = 15) throws -> Value {
    guard done.wait(timeout: .now() + .seconds(timeoutSeconds)) == .success else {
      throw ClientError(description: "background work did not finish in \(timeoutSeconds) s")
    }
    return try result!.get()
  }
}
