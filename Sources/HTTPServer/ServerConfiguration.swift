import Glibc

/// How the server listens and the limits it enforces. Every limit has its unit in its name.
public struct ServerConfiguration: Sendable {
  /// IPv4 address to bind, numeric ("127.0.0.1", "0.0.0.0").
  public var host: String
  /// TCP port; 0 asks the kernel for a free one (read it back from `Server.port`).
  public var port: UInt16
  /// Worker threads; each runs handlers to completion.
  public var threadCount: Int
  public var limits: Limits
  /// Paths of the built-in endpoints; nil switches one off.
  public var healthPath: String? = "/health"
  public var metricsPath: String? = "/metrics"

  public init(
    host: String = "127.0.0.1", port: UInt16 = 8080, threadCount: Int = Self.processorCount,
    limits: Limits = Limits()
  ) {
    self.host = host
    self.port = port
    self.threadCount = threadCount
    self.limits = limits
  }

  public static var processorCount: Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }

  public struct Limits: Sendable {
    /// A request body beyond this is refused with 413 without reading the rest.
    public var maxBodyBytes: Int = Self.defaultMaxBodyBytes
    /// After a body passed a limit, this much more is read and dropped so the client can still
    /// get its 413/408; beyond it the connection is closed.
    public var maxDiscardedBodyBytes: Int = Self.defaultMaxDiscardedBodyBytes
    /// Request line plus header fields beyond this are refused with 431.
    public var maxHeaderBytes: Int = Self.defaultMaxHeaderBytes
    /// A request whose body has not fully arrived after this long gets 408.
    public var maxRequestMilliseconds: Int = Self.defaultMaxRequestMilliseconds
    /// A connection silent for this long is closed.
    public var idleTimeoutSeconds: Int = Self.defaultIdleTimeoutSeconds
    /// Requests with a body being received at once; more get 503 with Retry-After.
    public var maxUploadsInFlight: Int = Self.defaultMaxUploadsInFlight
    /// The Retry-After a 503 carries.
    public var retryAfterSeconds: Int = Self.defaultRetryAfterSeconds
    /// Open connections; beyond it new ones wait in the listen backlog until one closes.
    public var maxConnections: Int = Self.defaultMaxConnections
    /// On shutdown, in-flight requests get this long to finish before the daemon stops.
    public var shutdownGraceMilliseconds: Int = Self.defaultShutdownGraceMilliseconds

    public static let defaultMaxBodyBytes = 16 * 1024 * 1024
    public static let defaultMaxDiscardedBodyBytes = 1024 * 1024
    public static let defaultMaxHeaderBytes = 16 * 1024
    public static let defaultMaxRequestMilliseconds = 30_000
    public static let defaultIdleTimeoutSeconds = 30
    public static let defaultMaxUploadsInFlight = 8
    public static let defaultRetryAfterSeconds = 5
    public static let defaultMaxConnections = 512
    public static let defaultShutdownGraceMilliseconds = 10_000

    public init() {}

    func validate() throws(ServerError) {
      let positive: [(String, Int)] = [
        ("maxBodyBytes", maxBodyBytes), ("maxHeaderBytes", maxHeaderBytes),
        ("maxDiscardedBodyBytes", maxDiscardedBodyBytes),
        ("maxRequestMilliseconds", maxRequestMilliseconds),
        ("idleTimeoutSeconds", idleTimeoutSeconds), ("maxUploadsInFlight", maxUploadsInFlight),
        ("retryAfterSeconds", retryAfterSeconds), ("maxConnections", maxConnections),
        ("shutdownGraceMilliseconds", shutdownGraceMilliseconds),
      ]
      for (name, value) in positive where value <= 0 {
        throw .startFailed("limit \(name) must be positive, got \(value)")
      }
    }

    /// libmicrohttpd keeps the request line, headers and read buffer in one per-connection pool;
    /// it gets room for twice the header limit so our own 431 (with a JSON body) answers first,
    /// and libmicrohttpd's own 431 is only the backstop.
    var connectionMemoryBytes: Int { max(32 * 1024, 2 * maxHeaderBytes + 16 * 1024) }
  }
}
