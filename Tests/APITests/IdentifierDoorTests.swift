import Foundation
import HTTPServer
import PostgresClient
import RebateAPI
import Testing

/// Codes at the API's doors: the identifier grammar on path, query and body values, no control
/// character anywhere, numbers past an int4 column refused as 400s, and dealer isolation by bytes
/// when two canonically equivalent dealer codes already sit in the database.
@Suite("Identifiers at the API", .serialized)
struct IdentifierDoorTests {
  /// `DЁ-7` with U+0401, and the same text decomposed (U+0415 U+0308): one string to Swift's
  /// `==`, two rows to PostgreSQL.
  static let precomposed = "D\u{0401}-7"
  static let decomposed = "D\u{0415}\u{0308}-7"
  static let precomposedPath = "D%D0%81-7"
  static let decomposedPath = "D%D0%95%CC%88-7"

  static func error(_ reply: HTTPReply) -> (code: String, message: String)? {
    guard let object = try? reply.json() as? [String: Any],
      let error = object["error"] as? [String: Any], let code = error["code"] as? String,
      let message = error["message"] as? String
    else { return nil }
    return (code, message)
  }

  @Test func theDecomposedCodeIsRefusedAtEveryAPIDoor() throws {
    #expect(Self.precomposed == Self.decomposed)
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let admin = fixture.token(.admin)
    let refusal = "'\(Self.decomposed)' holds U+0308, which a code may not contain"
    // The {dealer} path segment, on the JSON API and on the portal.
    for path in [
      "/api/dealers/\(Self.decomposedPath)", "/api/dealers/\(Self.decomposedPath)/terms",
      "/api/dealers/\(Self.decomposedPath)/sellout",
    ] {
      let reply = try fixture.client.get(path, token: admin)
      #expect(reply.status == 400, "\(path): \(reply.text)")
      #expect(Self.error(reply)?.code == "E-ID-INVALID", "\(path)")
      #expect(Self.error(reply)?.message == "field 'dealer': \(refusal)", "\(path)")
    }
    let page = try fixture.client.get("/portal/dealers/\(Self.decomposedPath)", token: admin)
    #expect(page.status == 400)
    #expect(page.text.contains("E-ID-INVALID"))
    // A SKU in the query, a policy id in a JSON body and in the close.
    let quote = try fixture.client.get(
      "/api/dealers/D-01/quote?sku=\(Self.decomposedPath)&quantity=1", token: admin)
    #expect(quote.status == 400)
    #expect(Self.error(quote)?.code == "E-ID-INVALID")
    #expect(Self.error(quote)?.message == "field 'sku': \(refusal)")
    let terms = try fixture.client.postJSON(
      "/api/dealers/D-01/terms", token: admin,
      "{\"policy\":\"\(Self.decomposed)\",\"tier\":\"Gold\",\"effective_from\":\"2026-09-01\"}")
    #expect(terms.status == 400)
    #expect(Self.error(terms)?.message == "field 'policy': \(refusal)")
    let close = try fixture.client.postJSON(
      "/api/periods/2026-Q3/close", token: fixture.token(.finance),
      "{\"policy\":\"standard 2026\"}")
    #expect(close.status == 400)
    #expect(
      Self.error(close)?.message
        == "field 'policy': 'standard 2026' holds U+0020, which a code may not contain")
    #expect(
      try fixture.query(
        "SELECT count(*) AS n FROM dealer_terms WHERE effective_from = '2026-09-01'")
        == [["n": "0"]])
    #expect(try fixture.query("SELECT count(*) AS n FROM period_runs") == [["n": "0"]])
  }

  @Test func controlCharactersInQueriesAndBodiesAreRefusedAndNeverEchoed() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let admin = fixture.token(.admin)
    // A NUL in a query value would reach libpq as a C string, cut at the NUL.
    let audit = try fixture.client.get("/api/audit?subject=D-01%00x", token: admin)
    #expect(audit.status == 400)
    #expect(Self.error(audit)?.code == "E-API-FIELD")
    #expect(
      Self.error(audit)?.message
        == "field 'subject': 'D-01\\u{0}x' holds the control character U+0000")
    // An ESC (terminal colour) and a bidi override in a JSON body: refused, shown escaped.
    let terms = try fixture.client.postJSON(
      "/api/dealers/D-01/terms", token: admin,
      "{\"policy\":\"standard-2026\",\"tier\":\"Gold\\u001b[31m\",\"effective_from\":\"2026-09-01\"}"
    )
    #expect(terms.status == 400)
    #expect(
      Self.error(terms)?.message
        == "field 'tier': 'Gold\\u{1B}[31m' holds the control character U+001B")
    #expect(!terms.text.contains("\u{1B}"))
    let bidi = try fixture.client.get(
      "/api/dealers/D-01/quote?sku=SKU-1%E2%80%AE&quantity=1", token: admin)
    #expect(bidi.status == 400)
    #expect(
      Self.error(bidi)?.message
        == "field 'sku': 'SKU-1\\u{202E}' holds the control character U+202E")
    // An unknown field name is echoed escaped too.
    let unknown = try fixture.client.postJSON(
      "/api/dealers/D-01/terms", token: admin, "{\"x\\u0007\":\"1\"}")
    #expect(unknown.status == 400)
    #expect(!unknown.text.contains("\u{07}"))
    #expect(unknown.text.contains("x\\\\u{7}"))
    #expect(
      try fixture.query(
        "SELECT count(*) AS n FROM dealer_terms WHERE effective_from = '2026-09-01'")
        == [["n": "0"]])
  }

  @Test func numbersPastAnInt4ColumnAreA400NamingTheField() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let approve = try fixture.client.send(
      "POST", "/api/dealers/D-01/terms/2147483648/approve", token: fixture.token(.finance))
    #expect(approve.status == 400)
    #expect(Self.error(approve)?.code == "E-API-FIELD")
    #expect(
      Self.error(approve)?.message
        == "field 'version': '2147483648' is not a terms version number (1...2147483647)")
    // The largest int4 passes the check and is simply not there.
    let largest = try fixture.client.send(
      "POST", "/api/dealers/D-01/terms/2147483647/approve", token: fixture.token(.finance))
    #expect(largest.status == 404)
    #expect(Self.error(largest)?.code == "E-API-NOT-FOUND")
    let quote = try fixture.client.get(
      "/api/dealers/D-01/quote?sku=SKU-1&quantity=2147483648", token: fixture.token(.admin))
    #expect(quote.status == 400)
    #expect(
      Self.error(quote)?.message
        == "field 'quantity': '2147483648' is not a whole number in 1...1000000")
    let page = try fixture.client.get("/api/audit?limit=2147483648", token: fixture.token(.admin))
    #expect(page.status == 400)
    #expect(
      Self.error(page)?.message == "field 'limit': '2147483648' is not a whole number in 1...1000")
  }

  /// Both spellings already stored (by SQL, around every door): a user of one dealer never
  /// reads or uploads into the other, and the close refuses with a code instead of trapping.
  @Test func twinDealerCodesInTheDatabaseStayTwoDealers() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let connection = try Connection(fixture.conninfo)
    defer { connection.close() }
    try connection.execute(
      """
      INSERT INTO dealers VALUES ($1, 'Precomposed Ltd', 'Gold', 'Retail', 'North', 'active'),
        ($2, 'Decomposed Secret Ltd', 'Gold', 'Retail', 'North', 'active')
      """, [Self.precomposed, Self.decomposed], purpose: "twin dealers")
    #expect(
      try fixture.query("SELECT count(*) AS n FROM dealers WHERE dealer_id LIKE 'D%-7'")
        == [["n": "2"]])
    let ownToken = try UserDirectory.addUser(
      name: "pre-user", role: .dealer, dealerCode: Self.precomposed, label: "", by: "test",
      on: connection)
    // The decomposed dealer's user cannot be created through the directory: stored by SQL.
    #expect(throws: UserError.self) {
      try UserDirectory.addUser(
        name: "de-user", role: .dealer, dealerCode: Self.decomposed, label: "", by: "test",
        on: connection)
    }
    let twinToken = try APIToken.issue()
    try connection.execute(
      "INSERT INTO users (user_name, role, dealer_id) VALUES ('de-user', 'dealer', $1)",
      [Self.decomposed], purpose: "twin user")
    try connection.execute(
      "INSERT INTO api_tokens (token_sha256, user_name, label) VALUES ($1, 'de-user', '')",
      [twinToken.hash], purpose: "twin token")

    let own = try fixture.client.get("/api/dealers/\(Self.precomposedPath)", token: ownToken)
    #expect(own.status == 200)
    #expect(own.text.contains("Precomposed Ltd"))
    let listing = try fixture.client.get("/api/dealers", token: ownToken)
    #expect(listing.status == 200)
    let codes = (try listing.json() as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    #expect(codes.map { Array($0.utf8) } == [Array(Self.precomposed.utf8)])
    let twinListing = try fixture.client.get("/api/dealers", token: twinToken.text)
    let twinCodes = (try twinListing.json() as? [[String: Any]] ?? []).compactMap {
      $0["code"] as? String
    }
    #expect(twinCodes.map { Array($0.utf8) } == [Array(Self.decomposed.utf8)])
    // Reading the other one: by the path in either spelling, on the API and the portal.
    for (token, path) in [
      (ownToken, "/api/dealers/\(Self.decomposedPath)"),
      (ownToken, "/portal/dealers/\(Self.decomposedPath)"),
      (twinToken.text, "/api/dealers/\(Self.precomposedPath)"),
      (twinToken.text, "/api/dealers/\(Self.precomposedPath)/terms"),
      (twinToken.text, "/portal/dealers/\(Self.precomposedPath)"),
    ] {
      let reply = try fixture.client.get(path, token: token)
      #expect([400, 403].contains(reply.status), "\(path): \(reply.status)")
      #expect(!reply.text.contains("Secret"), "\(path) leaked the twin's name")
      #expect(!reply.text.contains("Precomposed Ltd") || token == ownToken, "\(path) leaked")
    }
    // Uploading into the other one.
    for (token, path) in [
      (ownToken, "/api/dealers/\(Self.decomposedPath)/sellout/2026-07"),
      (twinToken.text, "/api/dealers/\(Self.precomposedPath)/sellout/2026-07"),
    ] {
      let reply = try fixture.client.send(
        "POST", path, token: token, headers: [("Content-Type", "text/csv")],
        body: RouteExamples.goodSellOut)
      #expect([400, 403].contains(reply.status), "\(path): \(reply.status) \(reply.text)")
    }
    #expect(
      try fixture.query("SELECT count(*) AS n FROM sellout_submissions WHERE dealer_id LIKE 'D%-7'")
        == [["n": "0"]])
    // The close names the stored twin instead of trapping on a duplicate key.
    let close = try fixture.client.postJSON(
      "/api/periods/2026-Q3/close", token: fixture.token(.finance),
      "{\"policy\":\"standard-2026\"}")
    #expect(close.status == 422)
    #expect(Self.error(close)?.code == "E-DB-CORRUPT")
    #expect(
      Self.error(close)?.message.contains("two dealer codes differ only in their Unicode spelling")
        == true)
    #expect(try fixture.query("SELECT count(*) AS n FROM period_runs") == [["n": "0"]])
  }
}
