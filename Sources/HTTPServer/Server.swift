import CMicroHTTPD
import Glibc
import Synchronization

/// The HTTP server: libmicrohttpd with an internal epoll polling thread and a pool of worker
/// threads; each request is received whole, then `handler` runs on the worker thread.
///
/// Start it with `start()`, stop it with `shutdown()` (graceful: stop accepting, let in-flight
/// requests finish within the grace period, then stop). `shutdown()` must not be called from a
/// handler: it waits for the worker threads.
public final class Server: Sendable {
  public let configuration: ServerConfiguration
  public let metrics = Metrics()
  let handler: Handler
  let accessLog: any AccessLogSink
  private let daemon = Mutex<DaemonHandle?>(nil)
  private let boundPort = Atomic<UInt16>(0)
  /// Set when shutdown begins: requests that still arrive on open connections get 503 and the
  /// connection is closed.
  let draining = Atomic<Bool>(false)

  /// The built-in endpoints, for comparing the served surface with docs/openapi.yaml.
  public var builtInRoutes: [RouteDescription] {
    [configuration.healthPath, configuration.metricsPath].compactMap { path in
      path.map { RouteDescription(method: "GET", pattern: $0) }
    }
  }

  public init(
    configuration: ServerConfiguration, accessLog: any AccessLogSink = FileDescriptorAccessLog(),
    handler: @escaping Handler
  ) {
    self.configuration = configuration
    self.accessLog = accessLog
    self.handler = handler
  }

  /// The port the server listens on (the kernel's choice when configured with port 0).
  public var port: UInt16 { boundPort.load(ordering: .acquiring) }

  public var isRunning: Bool { daemon.withLock { $0 != nil } }

  /// Binds and starts serving; returns once the socket is listening.
  public func start() throws(ServerError) {
    try configuration.limits.validate()
    guard configuration.threadCount >= 1 else {
      throw .startFailed("threadCount must be at least 1, got \(configuration.threadCount)")
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = configuration.port.bigEndian
    guard inet_pton(AF_INET, configuration.host, &address.sin_addr) == 1 else {
      throw .startFailed("host '\(configuration.host)' is not a numeric IPv4 address")
    }
    let started: Result<UInt16, ServerError> = daemon.withLock { handle in
      guard handle == nil else { return .failure(.startFailed("the server is already running")) }
      // The daemon holds the server through a raw pointer; the retain is released in shutdown.
      let context = Unmanaged.passRetained(self).toOpaque()
      // Read by the accept policy on libmicrohttpd's thread; freed after the daemon stops.
      let refusing = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
      refusing.initialize(to: 0)
      let flags =
        MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_USE_ITC.rawValue
      let limits = configuration.limits
      guard
        let pointer = rebate_mhd_start(
          flags, &address, refusing, serverAccessHandler, context, serverRequestCompleted, context,
          UInt32(configuration.threadCount), UInt32(limits.maxConnections),
          UInt32(limits.idleTimeoutSeconds), limits.connectionMemoryBytes,
          UInt32(Self.listenBacklog))
      else {
        Unmanaged<Server>.fromOpaque(context).release()
        refusing.deallocate()
        return .failure(
          .startFailed(
            "libmicrohttpd refused to listen on \(configuration.host):\(configuration.port)"
              + " (port in use or out of resources)"))
      }
      handle = DaemonHandle(pointer: pointer, context: context, refusing: refusing)
      return .success(rebate_mhd_bound_port(pointer))
    }
    boundPort.store(try started.get(), ordering: .releasing)
    draining.store(false, ordering: .releasing)
  }

  /// Graceful stop: close new connections as soon as they are accepted, answer 503 to new requests on open ones,
  /// wait up to `shutdownGraceMilliseconds` for in-flight requests, then stop the daemon.
  /// Returns the number of requests still in flight when the daemon was stopped (0 when all
  /// finished in time).
  @discardableResult
  public func shutdown() -> Int {
    guard
      let handle = daemon.withLock({ handle in
        defer { handle = nil }; return handle
      })
    else {
      return 0
    }
    draining.store(true, ordering: .releasing)
    rebate_mhd_set_draining(handle.refusing)
    let deadline =
      Clock.monotonicMicroseconds() + Int64(configuration.limits.shutdownGraceMilliseconds) * 1000
    while metrics.requestsInFlight.load(ordering: .acquiring) > 0
      && Clock.monotonicMicroseconds() < deadline
    {
      usleep(Self.shutdownPollMicroseconds)
    }
    let abandoned = metrics.requestsInFlight.load(ordering: .acquiring)
    MHD_stop_daemon(handle.pointer)
    handle.refusing.deallocate()
    Unmanaged<Server>.fromOpaque(handle.context).release()
    return abandoned
  }

  static let listenBacklog = 511
  static let shutdownPollMicroseconds: UInt32 = 5_000
}

/// The daemon pointer and the retained context it was given. libmicrohttpd's daemon functions
/// used here (quiesce, stop) are safe to call from any thread.
private struct DaemonHandle: @unchecked Sendable {
  let pointer: OpaquePointer
  let context: UnsafeMutableRawPointer
  /// Set once shutdown begins: the accept policy then closes every new connection.
  let refusing: UnsafeMutablePointer<Int32>
}
