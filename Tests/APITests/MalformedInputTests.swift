import Foundation
import HTTPServer
import RebateAPI
import Testing

/// Malformed bodies, queries and uploads get a 4xx with an error code, never a 500.
@Suite("Malformed input")
struct MalformedInputTests {
  @Test func malformedRequestsAreRefusedWithTheirCode() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let sales = fixture.token(.sales)
    let dealer = fixture.token(.dealer)
    let terms = "/api/dealers/D-01/terms"
    let cases: [(HTTPReply, Int, String)] = [
      (try fixture.client.postJSON(terms, token: sales, "not json"), 400, "E-API-JSON"),
      (try fixture.client.postJSON(terms, token: sales, "[1,2]"), 400, "E-API-JSON"),
      (
        try fixture.client.postJSON(terms, token: sales, "{\"policy\":true,\"tier\":\"Gold\"}"),
        400, "E-API-FIELD"
      ),
      (
        try fixture.client.postJSON(terms, token: sales, "{\"policy\":{},\"tier\":\"Gold\"}"), 400,
        "E-API-FIELD"
      ),
      (try fixture.client.postJSON(terms, token: sales, "{\"tier\":\"Gold\"}"), 400, "E-API-FIELD"),
      (
        try fixture.client.postJSON(
          terms, token: sales, "{\"policy\":\"standard-2026\",\"tier\":\"Platinum\"}"),
        422, "E-TERMS-TIER"
      ),
      (
        try fixture.client.postJSON(terms, token: sales, "{\"policy\":\"nope\",\"tier\":\"Gold\"}"),
        422, "POLICY-NOT-IN-FORCE"
      ),
      (
        try fixture.client.postJSON(
          terms, token: sales,
          "{\"policy\":\"standard-2026\",\"tier\":\"Gold\",\"extra_discount\":\"lots\"}"),
        400, "E-API-FIELD"
      ),
      (
        try fixture.client.get(
          "/api/dealers/D-01/quote?sku=SKU-1&quantity=1&date=2026-02-30", token: dealer), 400,
        "E-API-FIELD"
      ),
      (
        try fixture.client.get("/api/dealers/D-01/quote?sku=SKU-1&quantity=x", token: dealer), 400,
        "E-API-FIELD"
      ),
      (
        try fixture.client.get(
          "/api/dealers/D-01/quote?sku=SKU-1&quantity=1&colour=red", token: dealer), 400,
        "E-API-UNKNOWN-QUERY"
      ),
      (
        try fixture.client.postJSON(
          terms, token: sales,
          "{\"policy\":\"standard-2026\",\"tier\":\"Gold\",\"discount\":\"9%\"}"),
        400, "E-API-UNKNOWN-FIELD"
      ),
      (
        try fixture.client.get(
          "/api/dealers/D-01/quote?sku=SKU-1&quantity=1&date=1999-01-01", token: dealer), 422,
        "E-QUOTE-NO-PRICE"
      ),
      (
        try fixture.client.get("/api/dealers/D-01/statements/2026-Q9", token: dealer), 400,
        "E-API-FIELD"
      ),
      (
        try fixture.client.get("/api/dealers/D-01/statements/2025-Q1", token: dealer), 404,
        "E-API-NOT-FOUND"
      ),
      (
        try fixture.client.get("/api/dealers/D-01/statements/2026-Q3?format=pdf", token: dealer),
        400, "E-API-FIELD"
      ),
      (
        try fixture.client.send(
          "POST", "/api/dealers/D-01/sellout/2026-13", token: dealer, body: [65]), 400,
        "E-API-FIELD"
      ),
      (
        try fixture.client.send("POST", "/api/dealers/D-01/sellout/2026-07", token: dealer), 400,
        "E-API-FIELD"
      ),
      (
        try fixture.client.send(
          "POST", "/api/dealers/D-01/sellout/2026-07", token: dealer, body: [0, 1, 2, 0xFF, 0xFE]),
        422, "E-SELLOUT-REJECTED"
      ),
      (
        try fixture.client.send(
          "POST", "/portal/dealers/D-01/sellout", token: dealer,
          headers: [("Content-Type", "multipart/form-data")], body: Array("junk".utf8)),
        400, "E-API-MULTIPART"
      ),
      (
        try fixture.client.send(
          "POST", "/portal/dealers/D-01/sellout", token: dealer,
          headers: [("Content-Type", "multipart/form-data; boundary=xyz")],
          body: Array("--xyz\r\nContent-Disposition: form-data; name=\"month\"\r\n\r\n2026-07".utf8)
        ),
        400, "E-API-MULTIPART"
      ),
      (
        try fixture.client.send(
          "POST", "/portal/terms", token: sales,
          headers: [("Content-Type", "application/x-www-form-urlencoded")],
          body: Array("dealer=D-01&dealer=D-02".utf8)),
        400, "E-API-FIELD"
      ),
      (
        try fixture.client.send(
          "POST", "/api/policies", token: fixture.token(.admin), body: Array("[policy\nid=".utf8)),
        422, "E-POLICY-INVALID"
      ),
      (
        try fixture.client.send(
          "POST", "/api/periods/2026-Q3/approve", token: fixture.token(.finance)), 422, "E-CLOSE"
      ),
    ]
    for (reply, status, code) in cases {
      #expect(reply.status == status, "\(code): \(reply.status) \(reply.text.prefix(200))")
      #expect(reply.text.contains(code), "expected \(code) in \(reply.text.prefix(200))")
    }
    #expect(!fixture.accessLog.all.contains { $0.contains("\"status\":500") })
  }
}
