import HTTPServer
import Testing

struct SecretFailure: Error, CustomStringConvertible {
  var description: String { "connection string host=db password=hunter2 failed" }
}

struct Statement: Encodable {
  let dealer: String
  let amountMinor: Int64
  let period: String
}

@Suite struct ResponseTests {
  @Test func aThrowingHandlerGivesA500WithoutInternals() throws {
    var router = Router()
    router.get("/boom") { _ in throw SecretFailure() }
    let fixture = try TestServer(router: router)
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/boom")
    #expect(reply.status == 500)
    #expect(try reply.errorCode() == "E-HTTP-INTERNAL")
    let requestID = try #require(reply.header("X-Request-Id"))
    #expect(requestID.count == 16)
    #expect(reply.text.contains(requestID))
    #expect(!reply.text.contains("hunter2"))
    #expect(!reply.text.contains("SecretFailure"))
    // The operator sees the cause in the access log, under the same request id.
    let logged = try #require(fixture.log.waitFor(count: 1).first)
    #expect(logged["request_id"] as? String == requestID)
    #expect((logged["error"] as? String)?.contains("hunter2") == true)
    // Failures still count under their route, not as unmatched requests.
    let metrics = try Client.get(port: fixture.port, "/metrics").text
    #expect(
      metrics.contains("http_requests_total{route=\"/boom\",method=\"GET\",status=\"500\"} 1"))
  }

  @Test func aForbiddenAnswerCountsUnderItsRoute() throws {
    var router = Router()
    router.get("/api/dealers/{dealer}") { _ in throw HTTPError.forbidden("not yours") }
    let fixture = try TestServer(router: router)
    defer { fixture.server.shutdown() }
    #expect(try Client.get(port: fixture.port, "/api/dealers/D-2").status == 403)
    _ = fixture.log.waitFor(count: 1)
    let metrics = fixture.server.metrics.exposition()
    #expect(
      metrics.contains(
        "http_requests_total{route=\"/api/dealers/{dealer}\",method=\"GET\",status=\"403\"} 1"))
  }

  @Test func aThrownHTTPErrorKeepsItsStatusAndCode() throws {
    let fixture = try TestServer { _ in throw HTTPError.forbidden("dealer D-2 is not yours") }
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/anything")
    #expect(reply.status == 403)
    let error = try #require(try reply.json()["error"] as? [String: Any])
    #expect(error["code"] as? String == "E-HTTP-FORBIDDEN")
    #expect(error["message"] as? String == "dealer D-2 is not yours")
  }

  @Test func jsonHTMLAndCSVCarryTheirTypes() throws {
    var router = Router()
    router.get("/json") { _ in
      try .json(encoding: Statement(dealer: "D-1", amountMinor: 123_450, period: "2026-Q3"))
    }
    router.get("/html") { _ in .html("<h1>Statement</h1>") }
    router.get("/csv") { _ in .csv("dealer,amount\nD-1,1234.50\n", fileName: "statement \"Q3\".csv")
    }
    let fixture = try TestServer(router: router)
    defer { fixture.server.shutdown() }

    let json = try Client.get(port: fixture.port, "/json")
    #expect(json.text == "{\"amountMinor\":123450,\"dealer\":\"D-1\",\"period\":\"2026-Q3\"}")
    #expect(json.header("Content-Type") == "application/json; charset=utf-8")

    let html = try Client.get(port: fixture.port, "/html")
    #expect(html.text == "<h1>Statement</h1>")
    #expect(html.header("Content-Type") == "text/html; charset=utf-8")

    let csv = try Client.get(port: fixture.port, "/csv")
    #expect(csv.text == "dealer,amount\nD-1,1234.50\n")
    #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
    #expect(csv.header("Content-Disposition") == "attachment; filename=\"statement Q3.csv\"")
  }

  @Test func anImpossibleStatusBecomesA500() throws {
    let fixture = try TestServer { _ in Response(status: 1000) }
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/")
    #expect(reply.status == 500)
    #expect(try reply.errorCode() == "E-HTTP-INTERNAL")
    #expect(try Client.get(port: fixture.port, "/health").status == 200)
  }

  @Test func aHeaderWithALineBreakBecomesA500NotASplitResponse() throws {
    let fixture = try TestServer { _ in
      var response = Response.text("ok")
      response.headers.append("X-Injected", "a\r\nSet-Cookie: evil=1")
      return response
    }
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/")
    #expect(reply.status == 500)
    #expect(reply.header("Set-Cookie") == nil)
    #expect(try reply.errorCode() == "E-HTTP-INTERNAL")
  }
}
