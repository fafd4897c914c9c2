/// One header field as it arrived or as it will be sent.
public struct HTTPHeader: Sendable, Equatable {
  public let name: String
  public let value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// Header fields in arrival order, looked up without regard to case (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
  public private(set) var fields: [HTTPHeader]

  public init(_ fields: [HTTPHeader] = []) { self.fields = fields }

  /// The first value of the field `name`, whatever its case.
  public subscript(_ name: String) -> String? {
    fields.first { Self.sameName($0.name, name) }?.value
  }

  /// Every value of the field `name`, in arrival order.
  public func values(_ name: String) -> [String] {
    fields.filter { Self.sameName($0.name, name) }.map(\.value)
  }

  public mutating func append(_ name: String, _ value: String) {
    fields.append(HTTPHeader(name, value))
  }

  /// Replaces every value of `name` with `value`.
  public mutating func set(_ name: String, _ value: String) {
    fields.removeAll { Self.sameName($0.name, name) }
    fields.append(HTTPHeader(name, value))
  }

  public func makeIterator() -> IndexingIterator<[HTTPHeader]> { fields.makeIterator() }

  /// Field names are ASCII tokens, compared with ASCII case folding: every lookup runs this
  /// against every field, and lower-cased copies cost an allocation per comparison.
  static func sameName(_ lhs: String, _ rhs: String) -> Bool {
    ASCIICase.equal(lhs.utf8, rhs.utf8)
  }
}

/// Case-insensitive comparison of ASCII protocol text (field names, auth schemes).
enum ASCIICase {
  static func equal(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { lower($0) == lower($1) }
  }

  private static func lower(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
  }
}

/// One `name=value` pair of the query string, percent-decoded.
public struct QueryItem: Sendable, Equatable {
  public let name: String
  public let value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// An HTTP request as the handler sees it: fully received, body included.
public struct Request: Sendable {
  public let id: String
  public let method: String
  /// The path as it arrived (percent escapes kept), without the query string.
  public let path: String
  /// The path split at `/` with each segment percent-decoded; `/a/b%2Fc` gives `["a", "b/c"]`.
  public let pathSegments: [String]
  public let query: [QueryItem]
  public let headers: HTTPHeaders
  public let body: [UInt8]
  /// The client's numeric IP address ("" when the socket did not tell).
  public let remoteAddress: String
  /// Values of the route's `{name}` placeholders, filled in by `Router`.
  public internal(set) var pathParameters: [String: String] = [:]

  public init(
    id: String, method: String, path: String, query: [QueryItem] = [],
    headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String = ""
  ) throws(HTTPError) {
    self.id = id
    self.method = method
    self.path = path
    self.pathSegments = try PercentDecoding.pathSegments(path)
    self.query = query
    self.headers = headers
    self.body = body
    self.remoteAddress = remoteAddress
  }

  /// The first value of query item `name`.
  public func queryValue(_ name: String) -> String? {
    query.first { $0.name == name }?.value
  }

  /// The value of the route placeholder `{name}`.
  public func parameter(_ name: String) -> String? { pathParameters[name] }

  /// The body as UTF-8 text; a 400 when it is not valid UTF-8.
  public func bodyText() throws(HTTPError) -> String {
    guard let text = String(validating: body, as: UTF8.self) else {
      throw HTTPError.badRequest("the request body is not valid UTF-8")
    }
    return text
  }
}

/// Strict percent decoding (RFC 3986 §2.1): a `%` must be followed by two hex digits and the
/// result must be UTF-8.
enum PercentDecoding {
  static func pathSegments(_ path: String) throws(HTTPError) -> [String] {
    guard path.hasPrefix("/") else {
      throw HTTPError.badRequest("the request target '\(path.prefix(80))' does not start with /")
    }
    var segments: [String] = []
    segments.reserveCapacity(path.utf8.count { $0 == UInt8(ascii: "/") })
    var rest = path.utf8.dropFirst()
    while true {
      let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
      segments.append(try decode(Substring(rest[..<end]), what: "path"))
      guard end != rest.endIndex else { break }
      rest = rest[rest.index(after: end)...]
    }
    if segments == [""] { return [] }
    return segments
  }

  static func decode(_ text: Substring, what: String) throws(HTTPError) -> String {
    // Most segments and query items have no escape: they are already valid UTF-8 text.
    let raw = text.utf8
    guard raw.contains(UInt8(ascii: "%")) else { return String(text) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(raw.count)
    var index = raw.startIndex
    while index != raw.endIndex {
      let byte = raw[index]
      index = raw.index(after: index)
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard index != raw.endIndex, let high = hexValue(raw[index]),
        raw.index(after: index) != raw.endIndex, let low = hexValue(raw[raw.index(after: index)])
      else { throw HTTPError.badRequest("malformed percent escape in the \(what)") }
      bytes.append(high << 4 | low)
      index = raw.index(index, offsetBy: 2)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw HTTPError.badRequest("the \(what) is not valid UTF-8 after percent decoding")
    }
    return text
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
