import HTTPServer
import Testing

/// The routes the tests serve: shaped like the engine's future API.
func sampleRouter() -> Router {
  var router = Router()
  router.get("/api/dealers/{dealer}/statements/{period}") { request in
    .json(
      "{\"dealer\":\"\(request.parameter("dealer")!)\",\"period\":\"\(request.parameter("period")!)\"}"
    )
  }
  router.get("/api/dealers/me") { _ in .json("{\"dealer\":\"me\"}") }
  router.get("/api/dealers/{dealer}") { request in .text("dealer \(request.parameter("dealer")!)") }
  router.put("/api/dealers/{dealer}") { request in .text("updated \(request.parameter("dealer")!)")
  }
  router.post("/api/echo") { request in
    var response = Response.text(try request.bodyText())
    response.headers.append("X-Query-Q", request.queryValue("q") ?? "-")
    return response
  }
  return router
}

@Suite struct RoutingTests {
  @Test func pathParametersReachTheHandler() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/api/dealers/D-017/statements/2026-Q3")
    #expect(reply.status == 200)
    #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
    let body = try reply.json()
    #expect(body["dealer"] as? String == "D-017")
    #expect(body["period"] as? String == "2026-Q3")
  }

  @Test func anEncodedSlashStaysInsideItsSegment() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/api/dealers/A%2FB%20C")
    #expect(reply.status == 200)
    #expect(reply.text == "dealer A/B C")
  }

  @Test func aLiteralSegmentWinsOverAPlaceholder() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    #expect(try Client.get(port: fixture.port, "/api/dealers/me").text == "{\"dealer\":\"me\"}")
    #expect(try Client.get(port: fixture.port, "/api/dealers/mex").text == "dealer mex")
  }

  @Test func anUnknownPathIs404JSON() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/api/nothing/here")
    #expect(reply.status == 404)
    #expect(try reply.errorCode() == "E-HTTP-NOT-FOUND")
    #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
  }

  @Test func aKnownPathWithTheWrongMethodIs405WithAllow() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.request(port: fixture.port, "DELETE", "/api/dealers/D-1")
    #expect(reply.status == 405)
    #expect(reply.header("Allow") == "GET, HEAD, PUT")
    #expect(try reply.errorCode() == "E-HTTP-METHOD-NOT-ALLOWED")
  }

  @Test func headIsAnsweredByTheGetRouteWithoutABody() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.request(port: fixture.port, "HEAD", "/api/dealers/D-2")
    #expect(reply.status == 200)
    #expect(reply.body.isEmpty)
    #expect(reply.header("Content-Length") == "10")
  }

  @Test func bodyAndQueryArriveDecoded() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let reply = try Client.request(
      port: fixture.port, "POST", "/api/echo?q=a+b%2Bc", body: Array("Grüße, 12.50".utf8))
    #expect(reply.status == 200)
    #expect(reply.text == "Grüße, 12.50")
    #expect(reply.header("X-Query-Q") == "a b+c")
  }

  @Test func theRouterListsItsRoutesInOrder() {
    let listed = sampleRouter().routes.map(\.description)
    #expect(
      listed == [
        "GET /api/dealers/{dealer}/statements/{period}", "GET /api/dealers/me",
        "GET /api/dealers/{dealer}", "PUT /api/dealers/{dealer}", "POST /api/echo",
      ])
  }

  @Test func theServerListsItsBuiltInRoutes() {
    let server = Server(configuration: ServerConfiguration(port: 0)) { _ in .text("") }
    #expect(server.builtInRoutes.map(\.description) == ["GET /health", "GET /metrics"])
  }
}
