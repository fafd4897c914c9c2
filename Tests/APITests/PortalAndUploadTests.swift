import Foundation
import HTTPServer
import PostgresClient
import RebateAPI
import Synchronization
import Testing

/// The JSON API's figures and the portal's pages against the seeded database.
@Suite("API and portal flows", .serialized)
struct PortalAndUploadTests {
  @Test func quoteThroughTheAPIIsE1WithTheE3Guardrail() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    // E1: Gold 20 %, Q3 power-tools promo 10 %, ≥ 50 units 5 %: 6,840.00; E3: cost 6,900.00 + 5 %
    // margin floor = 7,245.00 binds; effective discount 27.55 %.
    let reply = try fixture.client.get(
      "/api/dealers/D-01/quote?sku=SKU-1&quantity=60&date=2026-07-15", token: fixture.token(.dealer)
    )
    let quote = try #require(try reply.json() as? [String: Any])
    #expect(quote["net_unit_price"] as? String == "7245.00")
    #expect(quote["line_total"] as? String == "434700.00")
    #expect(quote["effective_discount_percent"] as? String == "27.55")
    #expect(quote["guardrail"] as? String == "min_margin")
    let steps = try #require(quote["steps"] as? [[String: String]])
    #expect(steps.prefix(3).map { $0["price_after"] } == ["8000", "7200", "6840"])
    // Unknown input is a 4xx JSON error, never a crash.
    let bad = try fixture.client.get(
      "/api/dealers/D-01/quote?sku=SKU-1&quantity=-3", token: fixture.token(.dealer))
    #expect(bad.status == 400)
    #expect(bad.text.contains("E-API-FIELD"))
    let unknownSKU = try fixture.client.get(
      "/api/dealers/D-01/quote?sku=NOPE&quantity=1", token: fixture.token(.dealer))
    #expect(unknownSKU.status == 404)
  }

  @Test func termsAboveTheApprovalLevelWaitForSomeoneElseAndEverythingIsAudited() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let sales = fixture.token(.sales)
    let issued = try fixture.client.postJSON(
      "/api/dealers/D-03/terms", token: sales,
      "{\"policy\":\"standard-2026\",\"tier\":\"Silver\",\"extra_discount\":\"3%\",\"effective_from\":\"2026-07-01\"}"
    )
    #expect(issued.status == 201)
    let terms = try #require(try issued.json() as? [String: Any])
    #expect(terms["approval"] as? String == "pending")
    #expect(terms["version"] as? Int == 2)
    let own = try fixture.client.send("POST", "/api/dealers/D-03/terms/2/approve", token: sales)
    #expect(own.status == 422)
    #expect(own.text.contains("E-TERMS-SELF-APPROVAL"))
    let tooMuch = try fixture.client.postJSON(
      "/api/dealers/D-03/terms", token: sales,
      "{\"policy\":\"standard-2026\",\"tier\":\"Gold\",\"extra_discount\":\"6%\"}")
    #expect(tooMuch.status == 422)
    #expect(tooMuch.text.contains("E-TERMS-LIMIT"))
    let approved = try fixture.client.send(
      "POST", "/api/dealers/D-03/terms/2/approve", token: fixture.token(.finance))
    #expect(approved.status == 200)
    let audit = try fixture.query(
      "SELECT actor, action, subject FROM audit_log WHERE subject LIKE 'D-03 v2' ORDER BY at")
    #expect(
      audit == [
        ["actor": "sales-user", "action": "terms.issue", "subject": "D-03 v2"],
        ["actor": "finance-user", "action": "terms.approve", "subject": "D-03 v2"],
      ])
  }

  @Test func aRejectedUploadListsEveryErrorAndStoresNothing() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let bad = Array("Date,SKU,Qty\n2026-07-15,NOPE,5\n2026-08-02,SKU-1,3\n".utf8)
    let reply = try fixture.client.send(
      "POST", "/api/dealers/D-01/sellout/2026-07", token: fixture.token(.dealer), body: bad)
    #expect(reply.status == 422)
    let object = try #require(try reply.json() as? [String: Any])
    let error = try #require(object["error"] as? [String: Any])
    let errors = try #require(error["errors"] as? [[String: Any]])
    #expect(errors.compactMap { $0["line"] as? Int } == [2, 3])
    #expect(try fixture.query("SELECT count(*) AS n FROM sellout_submissions") == [["n": "0"]])
    let good = try fixture.client.send(
      "POST", "/api/dealers/D-01/sellout/2026-07", token: fixture.token(.dealer),
      body: RouteExamples.goodSellOut)
    #expect(good.status == 201)
    let again = try fixture.client.send(
      "POST", "/api/dealers/D-01/sellout/2026-07", token: fixture.token(.dealer),
      body: RouteExamples.goodSellOut)
    #expect(again.status == 200)
    let history = try #require(
      try fixture.client.get("/api/dealers/D-01/sellout", token: fixture.token(.dealer)).json()
        as? [[String: Any]])
    #expect(history.count == 1)
    #expect(history.first?["lines"] as? Int == 2)
    #expect(history.first?["submitted_by"] as? String == "dealer-user")
    #expect(
      try fixture.query("SELECT actor, action FROM audit_log WHERE action = 'sellout.submit'")
        == [["actor": "dealer-user", "action": "sellout.submit"]])
  }

  @Test func fiftyDealersUploadingAtOnceLoseNothing() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let tokens = try (1...APIFixture.dealerCount).map { index in
      let connection = try Connection(fixture.conninfo)
      defer { connection.close() }
      return try UserDirectory.addUser(
        name: "dealer-\(index)", role: .dealer, dealerCode: APIFixture.dealerCode(index),
        label: "", by: "test", on: connection)
    }
    let statuses = Mutex<[Int]>([])
    DispatchQueue.concurrentPerform(iterations: APIFixture.dealerCount) { index in
      let dealer = APIFixture.dealerCode(index + 1)
      let file = Array("Date,SKU,Qty\n2026-07-15,SKU-1,\(index + 1)\n2026-07-16,SKU-2,1\n".utf8)
      var status = 0
      // The server answers 503 + Retry-After beyond its uploads-in-flight limit; a client retries.
      for _ in 0..<50 {
        status =
          (try? fixture.client.send(
            "POST", "/api/dealers/\(dealer)/sellout/2026-07", token: tokens[index], body: file
          ).status) ?? -1
        if status != 503 { break }
        usleep(20_000)
      }
      statuses.withLock { $0.append(status) }
    }
    #expect(
      statuses.withLock { $0 }.sorted() == Array(repeating: 201, count: APIFixture.dealerCount))
    let stored = try fixture.query(
      """
      SELECT count(DISTINCT s.dealer_id)::text AS dealers, count(*)::text AS lines,
        sum(l.qty)::text AS units FROM sellout_submissions s
      JOIN sellout_lines l USING (dealer_id, report_month, version)
      """)
    // 50 dealers × 2 lines; units 1+…+50 of SKU-1 plus one SKU-2 each.
    #expect(stored == [["dealers": "50", "lines": "100", "units": String(50 * 51 / 2 + 50)]])
  }

  @Test func thePortalSignsInUploadsShowsProgressAndAStatement() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    try RouteExamples.draft("2026-Q3", fixture)
    let client = fixture.client
    let refused = try client.send(
      "POST", "/portal/sign-in", headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: Array("token=rbt_wrong".utf8))
    #expect(refused.status == 401)
    let signIn = try client.send(
      "POST", "/portal/sign-in", headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: Array("token=\(fixture.token(.dealer))".utf8))
    #expect(signIn.status == 303)
    let setCookie = try #require(signIn.header("Set-Cookie"))
    #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
    let cookie = String(setCookie.split(separator: ";")[0])
    let page = try client.get("/portal/dealers/D-01", cookie: cookie)
    #expect(page.status == 200)
    // D-01's Q3 basis 1,449,000.00: the 1 % tier is reached, 1,551,000.00 missing to 3,000,000.
    #expect(page.text.contains("1,551,000.00") || page.text.contains("1551000.00"))
    #expect(page.text.contains("aria-valuenow=\"48\""))
    #expect(!page.text.contains("<script"))
    let (type, badBody) = APIFixture.multipart(
      fields: [("month", "2026-07")], fileName: "bad.csv",
      file: Array("Date,SKU,Qty\n2026-07-15,NOPE,5\n".utf8))
    let rejected = try client.send(
      "POST", "/portal/dealers/D-01/sellout", cookie: cookie, headers: [("Content-Type", type)],
      body: badBody)
    #expect(rejected.status == 422)
    #expect(rejected.text.contains("id=\"errors\"") && rejected.text.contains("NOPE"))
    let (goodType, goodBody) = APIFixture.multipart(
      fields: [("month", "2026-07")], fileName: "good.csv", file: RouteExamples.goodSellOut)
    let accepted = try client.send(
      "POST", "/portal/dealers/D-01/sellout", cookie: cookie, headers: [("Content-Type", goodType)],
      body: goodBody)
    #expect(accepted.status == 200)
    #expect(accepted.text.contains("stored as version 1 with 2 lines"))
    // A post from another site's page is refused even with the cookie.
    let crossSite = try client.send(
      "POST", "/portal/dealers/D-01/sellout", cookie: cookie,
      headers: [("Content-Type", goodType), ("Origin", "http://evil.example")], body: goodBody)
    #expect(crossSite.status == 403)
    let statement = try client.get("/portal/dealers/D-01/statement?period=2026-Q3", cookie: cookie)
    #expect(statement.status == 200)
    #expect(statement.text.contains("D-01"))
    let foreign = try client.get("/portal/dealers/D-02/statement?period=2026-Q3", cookie: cookie)
    #expect(foreign.status == 403)
    #expect(!foreign.text.contains(APIFixture.otherDealerName))
  }
}
