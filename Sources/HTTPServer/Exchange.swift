import CMicroHTTPD
import Glibc

/// The state of one request between libmicrohttpd's calls of the access handler (headers, each
/// body chunk, the final call) and the completion callback. It lives behind `con_cls`, and
/// libmicrohttpd makes every call for a connection on that connection's worker thread, so it
/// needs no lock.
final class Exchange {
  let id: String
  let startMonotonicMicroseconds = Clock.monotonicMicroseconds()
  let startWallMicroseconds = Clock.wallMicroseconds()
  let method: String
  let rawPath: String
  let remoteAddress: String
  var headers = HTTPHeaders()
  var body: [UInt8] = []
  /// Holds one of the `maxUploadsInFlight` slots until the request completes.
  var holdsUploadSlot = false
  /// A response was queued; anything the client still sends is dropped unread.
  var answered = false
  /// A limit was passed while the body was arriving. libmicrohttpd 0.9.75 takes a response only
  /// before the body or after all of it, so the error is answered at the end and the rest of the
  /// body is counted and dropped, never stored.
  var pendingError: HTTPError?
  var discardedBytes = 0
  var status = 0
  var bytesSent = 0
  var route = Router.unmatchedRouteLabel
  var user: String?
  var internalError: String?

  init(method: String, rawPath: String, remoteAddress: String) {
    self.id = Self.newID()
    self.method = method
    self.rawPath = rawPath
    self.remoteAddress = remoteAddress
  }

  var elapsedMicroseconds: Int {
    Int(Clock.monotonicMicroseconds() - startMonotonicMicroseconds)
  }

  /// 16 hex digits from the system's random generator: unique enough to find one request in
  /// the logs, and not guessable from the previous one.
  private static func newID() -> String {
    var generator = SystemRandomNumberGenerator()
    let value = generator.next()
    let text = String(value, radix: 16)
    return String(repeating: "0", count: 16 - text.count) + text
  }

  func accessLogEntry() -> AccessLogEntry {
    AccessLogEntry(
      timeMicroseconds: startWallMicroseconds, requestID: id, method: method, path: rawPath,
      status: status, bytes: bytesSent, durationMicroseconds: elapsedMicroseconds, user: user,
      remoteAddress: remoteAddress, internalError: internalError)
  }
}

/// Reads what libmicrohttpd parsed about the request on the connection.
enum ConnectionReader {
  static func headers(_ connection: OpaquePointer) -> HTTPHeaders {
    HTTPHeaders(pairs(connection, kind: .HEADER_KIND).map { HTTPHeader($0.0, $0.1 ?? "") })
  }

  /// Query items, percent-decoded by us (the daemon's unescaping is switched off).
  static func query(_ connection: OpaquePointer) throws(HTTPError) -> [QueryItem] {
    let pairs = pairs(connection, kind: .GET_ARGUMENT_KIND)
    var items: [QueryItem] = []
    items.reserveCapacity(pairs.count)
    for (name, value) in pairs {
      items.append(
        QueryItem(
          try PercentDecoding.decode(name[...], what: "query"),
          try PercentDecoding.decode((value ?? "")[...], what: "query")))
    }
    return items
  }

  static func remoteAddress(_ connection: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    rebate_mhd_client_address(connection, &buffer, socklen_t(buffer.count))
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  private final class PairCollector {
    var pairs: [(String, String?)] = []
  }

  private static func pairs(_ connection: OpaquePointer, kind: MHD_ValueKind) -> [(
    String, String?
  )] {
    let collector = PairCollector()
    // Without an iterator libmicrohttpd only counts: the array is then allocated once.
    collector.pairs.reserveCapacity(Int(MHD_get_connection_values(connection, kind, nil, nil)))
    withExtendedLifetime(collector) {
      _ = MHD_get_connection_values(
        connection, kind, collectPair, Unmanaged.passUnretained(collector).toOpaque())
    }
    return collector.pairs
  }

  private static let collectPair: MHD_KeyValueIterator = { context, _, key, value in
    let collector = Unmanaged<PairCollector>.fromOpaque(context!).takeUnretainedValue()
    if let key {
      collector.pairs.append((String(cString: key), value.map { String(cString: $0) }))
    }
    return .YES
  }
}
