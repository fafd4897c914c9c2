import Foundation
import Glibc

/// A tiny blocking HTTP/1.1 client over Glibc sockets: the tests talk to the real server over
/// real TCP, byte for byte, including requests no well-behaved client would send.
struct HTTPReply {
  let status: Int
  let headers: [(String, String)]
  let body: [UInt8]

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  var text: String { String(decoding: body, as: UTF8.self) }

  /// The body parsed as a JSON object.
  func json() throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(body))
    guard let dictionary = object as? [String: Any] else {
      throw ClientError(description: "body is not a JSON object: \(text)")
    }
    return dictionary
  }

  /// `error.code` of a JSON error body.
  func errorCode() throws -> String? {
    (try json()["error"] as? [String: Any])?["code"] as? String
  }
}

struct ClientError: Error, CustomStringConvertible {
  let description: String
}

final class Connection {
  static let receiveTimeoutSeconds = 10
  let descriptor: Int32

  /// Connects to 127.0.0.1:`port`; throws with errno (ECONNREFUSED when nobody listens).
  init(port: UInt16) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw ClientError(description: "socket: errno \(errno)") }
    var timeout = timeval(tv_sec: Self.receiveTimeoutSeconds, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      let code = errno
      close(descriptor)
      throw ConnectError(errno: code)
    }
  }

  deinit { close(descriptor) }

  func setReceiveTimeout(milliseconds: Int) {
    var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  func send(_ text: String) throws { try send(Array(text.utf8)) }

  func send(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      guard written > 0 else { throw ClientError(description: "send: errno \(errno)") }
      offset += written
    }
  }

  /// Reads until the server closes the connection (requests are sent with Connection: close).
  func readAll() throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count == 0 { return received }
      if count < 0 {
        if errno == EINTR { continue }
        if errno == ECONNRESET && !received.isEmpty { return received }
        throw ClientError(description: "recv: errno \(errno) after \(received.count) bytes")
      }
      received.append(contentsOf: buffer[0..<count])
    }
  }

  func readReply() throws -> HTTPReply { try HTTPReply.parse(try readAll()) }
}

struct ConnectError: Error {
  let errno: Int32
}

extension HTTPReply {
  static func parse(_ bytes: [UInt8]) throws -> HTTPReply {
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    guard let end = bytes.firstRange(of: separator) else {
      throw ClientError(description: "no complete header in \(bytes.count) bytes")
    }
    let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw ClientError(description: "bad status line in \(head)")
    }
    let headers = lines.compactMap { line -> (String, String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
      )
    }
    return HTTPReply(status: status, headers: headers, body: Array(bytes[end.upperBound...]))
  }
}

enum Client {
  /// Sends one request with `Connection: close` and returns the whole reply.
  static func request(
    port: UInt16, _ method: String, _ target: String, headers: [(String, String)] = [],
    body: [UInt8] = []
  ) throws -> HTTPReply {
    let connection = try Connection(port: port)
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
    try connection.send(Array((head + "\r\n").utf8) + body)
    return try connection.readReply()
  }

  static func get(port: UInt16, _ target: String, headers: [(String, String)] = []) throws
    -> HTTPReply
  {
    try request(port: port, "GET", target, headers: headers)
  }
}
