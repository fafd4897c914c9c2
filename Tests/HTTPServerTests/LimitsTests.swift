import Glibc
import HTTPServer
import Testing

@Suite struct LimitsTests {
  @Test func aDeclaredOversizeBodyIsRefusedBeforeItIsSent() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    // Only the headers go out; the 413 must come without the server waiting for 4 KiB.
    let connection = try Connection(port: fixture.port)
    try connection.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n")
    let reply = try connection.readReply()
    #expect(reply.status == 413)
    #expect(try reply.errorCode() == "E-HTTP-BODY-TOO-LARGE")
  }

  @Test func aChunkedBodyIsRefusedOnceItPassesTheLimit() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let connection = try Connection(port: fixture.port)
    try connection.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    let chunk = "200\r\n" + String(repeating: "x", count: 512) + "\r\n"
    for _ in 0..<3 { try connection.send(chunk) }
    try connection.send("0\r\n\r\n")
    let reply = try connection.readReply()
    #expect(reply.status == 413)
    #expect(try reply.errorCode() == "E-HTTP-BODY-TOO-LARGE")
    #expect(reply.header("Connection") == "close")
  }

  @Test func aChunkedBodyThatNeverEndsGetsItsConnectionClosed() throws {
    var limits = TestServer.smallLimits
    limits.maxDiscardedBodyBytes = 8192
    let fixture = try TestServer(limits: limits, router: sampleRouter())
    defer { fixture.server.shutdown() }
    let connection = try Connection(port: fixture.port)
    try connection.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    let chunk = "400\r\n" + String(repeating: "x", count: 1024) + "\r\n"
    var sent = 0
    while sent < 64, (try? connection.send(chunk)) != nil { sent += 1 }
    // The server read at most the limit plus the discard allowance, then hung up.
    #expect((try? connection.readAll())?.isEmpty ?? true)
    #expect(try Client.get(port: fixture.port, "/health").status == 200)
    let logged = fixture.log.waitFor(count: 2)
    #expect(logged.contains { $0["path"] as? String == "/api/echo" && $0["status"] as? Int == 0 })
  }

  @Test func aChunkedBodyWithinTheLimitArrivesWhole() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let connection = try Connection(port: fixture.port)
    try connection.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    let reply = try connection.readReply()
    #expect(reply.status == 200)
    #expect(reply.text == "hello world")
  }

  @Test func oversizeHeadersAre431JSON() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.get(
      port: fixture.port, "/api/dealers/me",
      headers: [("X-Filler", String(repeating: "h", count: 3000))])
    #expect(reply.status == 431)
    #expect(try reply.errorCode() == "E-HTTP-HEADERS-TOO-LARGE")
  }

  @Test func headersFarBeyondThePoolStillGet431AndTheServerLives() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.get(
      port: fixture.port, "/api/dealers/me",
      headers: [("X-Filler", String(repeating: "h", count: 100_000))])
    #expect(reply.status == 431)
    #expect(try Client.get(port: fixture.port, "/health").status == 200)
  }

  @Test func aMalformedRequestLineIsA400AndTheServerLives() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let connection = try Connection(port: fixture.port)
    try connection.send("THIS IS NOT HTTP\r\n\r\n")
    let reply = try connection.readReply()
    #expect(reply.status == 400)
    #expect(try Client.get(port: fixture.port, "/health").status == 200)
  }

  @Test func aMalformedPercentEscapeIs400JSON() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    for target in ["/api/dealers/%zz", "/api/dealers/%C3", "/api/echo?q=%4"] {
      let reply = try Client.get(port: fixture.port, target)
      #expect(reply.status == 400, "\(target)")
      #expect(try reply.errorCode() == "E-HTTP-BAD-REQUEST", "\(target)")
    }
  }

  @Test func anInvalidContentLengthIsA400() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let connection = try Connection(port: fixture.port)
    try connection.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\nConnection: close\r\n\r\n")
    let reply = try connection.readReply()
    #expect(reply.status == 400)
  }

  @Test func connectionsBeyondTheLimitWaitUntilASlotFrees() throws {
    var limits = TestServer.smallLimits
    limits.maxConnections = 2
    let fixture = try TestServer(limits: limits, threadCount: 1, handler: sampleRouter().handler)
    defer { fixture.server.shutdown() }
    var idle = [try Connection(port: fixture.port), try Connection(port: fixture.port)]
    usleep(100_000)
    let third = try Connection(port: fixture.port)
    try third.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    third.setReceiveTimeout(milliseconds: 300)
    #expect(throws: ClientError.self) { try third.readAll() }
    idle.removeAll()
    third.setReceiveTimeout(milliseconds: 5000)
    #expect(try third.readReply().status == 200)
  }

  @Test func uploadsBeyondTheLimitGet503WithRetryAfter() throws {
    var limits = TestServer.smallLimits
    limits.maxUploadsInFlight = 1
    limits.retryAfterSeconds = 7
    let fixture = try TestServer(limits: limits, router: sampleRouter())
    defer { fixture.server.shutdown() }
    // The first upload declares 10 bytes and sends 4: it holds the only upload slot.
    let first = try Connection(port: fixture.port)
    try first.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabcd")
    try waitUntil { fixture.server.metrics.exposition().contains("http_uploads_in_flight 1") }
    let second = try Client.request(port: fixture.port, "POST", "/api/echo", body: Array("hi".utf8))
    #expect(second.status == 503)
    #expect(second.header("Retry-After") == "7")
    #expect(try second.errorCode() == "E-HTTP-BUSY")
    // A request without a body is not an upload and still goes through.
    #expect(try Client.get(port: fixture.port, "/api/dealers/me").status == 200)
    try first.send("efghij")
    let firstReply = try first.readReply()
    #expect(firstReply.status == 200)
    #expect(firstReply.text == "abcdefghij")
  }

  @Test func aBodyThatTricklesPastTheRequestTimeIs408() throws {
    var limits = TestServer.smallLimits
    limits.maxRequestMilliseconds = 200
    let fixture = try TestServer(limits: limits, router: sampleRouter())
    defer { fixture.server.shutdown() }
    let connection = try Connection(port: fixture.port)
    try connection.send(
      "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabcde")
    usleep(300_000)
    try connection.send("fghij")
    let reply = try connection.readReply()
    #expect(reply.status == 408)
    #expect(try reply.errorCode() == "E-HTTP-TIMEOUT")
  }
}

/// Polls `condition` every 5 ms for up to 3 s.
func waitUntil(_ condition: () -> Bool) throws {
  for _ in 0..<600 {
    if condition() { return }
    usleep(5_000)
  }
  throw ClientError(description: "condition not reached within 3 s")
}
