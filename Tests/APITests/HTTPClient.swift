import Foundation
import Glibc

/// A response as the tests see it.
struct HTTPReply {
  let status: Int
  let headers: [(String, String)]
  let body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  /// The body as a JSON value.
  func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body)) }
}

/// One request per connection over a plain socket (`Connection: close`), so tests see exactly
/// what the server sent, with no client library between.
struct HTTPClient {
  let port: UInt16

  func send(
    _ method: String, _ target: String, token: String? = nil, cookie: String? = nil,
    headers: [(String, String)] = [], body: [UInt8] = []
  ) throws -> HTTPReply {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    if let token { head += "Authorization: Bearer \(token)\r\n" }
    if let cookie { head += "Cookie: \(cookie)\r\n" }
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    let raw = try exchange(Array(head.utf8) + body)
    return try parse(raw)
  }

  func get(_ target: String, token: String? = nil, cookie: String? = nil) throws -> HTTPReply {
    try send("GET", target, token: token, cookie: cookie)
  }

  func postJSON(_ target: String, token: String?, _ json: String) throws -> HTTPReply {
    try send(
      "POST", target, token: token, headers: [("Content-Type", "application/json")],
      body: Array(json.utf8))
  }

  private func exchange(_ request: [UInt8]) throws -> [UInt8] {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw ClientError("socket failed") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw ClientError("connect to port \(port) failed") }
    var sent = 0
    while sent < request.count {
      let count = request[sent...].withUnsafeBytes {
        Glibc.send(socket, $0.baseAddress, $0.count, 0)
      }
      guard count > 0 else { throw ClientError("send failed") }
      sent += count
    }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
      if count <= 0 { break }
      response += buffer[0..<count]
    }
    return response
  }

  private func parse(_ raw: [UInt8]) throws -> HTTPReply {
    guard
      let end = (0..<max(raw.count - 3, 0)).first(where: {
        raw[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10])
      })
    else { throw ClientError("no complete response (\(raw.count) bytes)") }
    let lines = String(decoding: raw[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
      throw ClientError("bad status line \(lines[0])")
    }
    let headers = lines.dropFirst().compactMap { line -> (String, String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    var body = Array(raw[(end + 4)...])
    if headers.contains(where: {
      $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked"
    }) {
      body = try dechunk(body)
    }
    return HTTPReply(status: status, headers: headers, body: body)
  }

  private func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
      guard
        let lineEnd = (index..<(bytes.count - 1)).first(where: {
          bytes[$0] == 13 && bytes[$0 + 1] == 10
        }),
        let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self), radix: 16)
      else { throw ClientError("bad chunk") }
      if size == 0 { break }
      out += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
      index = lineEnd + 4 + size
    }
    return out
  }
}

struct ClientError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
