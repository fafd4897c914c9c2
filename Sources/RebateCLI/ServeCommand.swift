import Glibc
import HTTPServer
import PostgresClient
import RebateAPI

extension CLI {
  static let serveCommands: [Command] = [serveCommand]

  static let serveCommand = Command(
    ["serve"],
    usage:
      "rebate serve [--listen 127.0.0.1:8080] [--threads N] [--access-log stderr|off|FILE] "
      + "[--cache-ms 2000]",
    summary: "run the JSON API and the dealer portal until SIGTERM/SIGINT (graceful stop)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let (host, port) = try listenAddress(try arguments.option("listen") ?? "127.0.0.1:8080")
    let threads = try count(
      &arguments, "threads", default: ServerConfiguration.processorCount, range: 1...256)
    let logTarget = try arguments.option("access-log") ?? "stderr"
    let cacheMilliseconds = try count(&arguments, "cache-ms", default: 2_000, range: 0...60_000)
    try arguments.finish()
    // Before any other thread starts, so every worker inherits the blocked signal mask.
    let stop = StopSignal()
    let watcher = try SignalWatcher.watch { _ in stop.fire() }
    // One connection per worker: a handler holds at most one at a time, so none ever waits.
    let pool = ConnectionPool(conninfo: url, capacity: threads)
    try pool.withConnection { connection in
      _ = try connection.query("SELECT count(*) FROM api_tokens", purpose: "check the schema")
    }
    let services = APIServices(
      pool: pool, now: APIServices.systemNow, cacheMilliseconds: cacheMilliseconds)
    let router = RebateApplication.router(
      services: services,
      authenticator: Authenticator(verifier: PostgresTokenVerifier(services: services)))
    let server = Server(
      configuration: ServerConfiguration(host: host, port: port, threadCount: threads),
      accessLog: try accessLog(logTarget), handler: router.handler)
    stop.server = server
    try server.start()
    context.console.print(
      "rebate serve: listening on http://\(host):\(server.port) with \(threads) workers; "
        + "portal at http://\(host):\(server.port)/portal; stop with SIGTERM or Ctrl-C")
    watcher.join()
    context.console.print(
      "rebate serve: stopped (\(stop.abandoned) request(s) still running at the deadline)")
    return 0
  }

  static func listenAddress(_ text: String) throws -> (String, UInt16) {
    guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...])
    else { throw CLIError.usage("--listen takes HOST:PORT, e.g. 127.0.0.1:8080") }
    return (String(text[..<colon]), port)
  }

  static func accessLog(_ target: String) throws -> any AccessLogSink {
    switch target {
    case "stderr": return FileDescriptorAccessLog()
    case "off": return DiscardingAccessLog()
    default:
      let descriptor = open(target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
      guard descriptor >= 0 else {
        throw CLIError(code: "E-API-ACCESS-LOG", message: "cannot open access log \(target)")
      }
      return FileDescriptorAccessLog(fileDescriptor: descriptor)
    }
  }
}

/// Carries the server to the signal watcher's thread, which stops it gracefully.
private final class StopSignal: @unchecked Sendable {
  // Set once before the server starts and read once on the watcher thread after a signal;
  // `SignalWatcher.join` orders the final read of `abandoned`.
  var server: Server?
  var abandoned = 0

  func fire() { abandoned = server?.shutdown() ?? 0 }
}
