import HTTPServer
import RebateAPI

/// A request that exercises one route, as the role-by-role tests send it.
struct RouteExample {
  var path: String
  var body: [UInt8] = []
  var contentType: String?
  /// Statuses an admitted role may get (the exact success of that route).
  var success: Set<Int>
}

/// One example per route of `RebateApplication.rules`, keyed by "METHOD pattern"; a route
/// without an example fails the test, so a new route cannot skip the role checks.
/// `prepare` runs before each call and may create what the call needs (a pending terms version,
/// a draft period).
enum RouteExamples {
  static let dealer = APIFixture.ownDealer
  static let goodSellOut = Array("Date,SKU,Qty\n2026-07-15,SKU-1,5\n2026-07-20,SKU-1,3\n".utf8)
  static let termsJSON =
    "{\"policy\":\"standard-2026\",\"tier\":\"Gold\",\"extra_discount\":\"1%\",\"effective_from\":\"2026-01-01\"}"

  static func example(
    for rule: RouteRule, role: Role, fixture: APIFixture
  ) throws -> RouteExample? {
    switch rule.description {
    case "GET /": return RouteExample(path: "/", success: [303])
    case "GET /portal": return RouteExample(path: "/portal", success: [200])
    case "POST /portal/sign-in":
      return RouteExample(
        path: "/portal/sign-in", body: Array("token=\(fixture.token(role))".utf8),
        contentType: "application/x-www-form-urlencoded", success: [303])
    case "POST /portal/sign-out": return RouteExample(path: "/portal/sign-out", success: [303])
    case "GET /portal/home":
      return RouteExample(path: "/portal/home", success: [role == .dealer ? 303 : 200])
    case "GET /portal/dealers/{dealer}":
      return RouteExample(path: "/portal/dealers/\(dealer)", success: [200])
    case "GET /portal/dealers/{dealer}/quote":
      return RouteExample(
        path: "/portal/dealers/\(dealer)/quote?sku=SKU-1&quantity=60&date=2026-07-15",
        success: [200])
    case "POST /portal/dealers/{dealer}/sellout":
      let (type, body) = APIFixture.multipart(
        fields: [("month", "2026-07")], fileName: "july.csv", file: goodSellOut)
      return RouteExample(
        path: "/portal/dealers/\(dealer)/sellout", body: body, contentType: type, success: [200])
    case "GET /portal/dealers/{dealer}/statement":
      return RouteExample(
        path: "/portal/dealers/\(dealer)/statement?period=2026-Q3", success: [200])
    case "GET /portal/sales": return RouteExample(path: "/portal/sales", success: [200])
    case "POST /portal/terms":
      return RouteExample(
        path: "/portal/terms",
        body: Array(
          "dealer=\(dealer)&policy=standard-2026&tier=Gold&extra_discount=1%25&effective_from=2026-01-01"
            .utf8),
        contentType: "application/x-www-form-urlencoded", success: [303])
    case "POST /portal/dealers/{dealer}/terms/{version}/approve":
      let version = try pendingTerms(fixture)
      return RouteExample(
        path: "/portal/dealers/\(dealer)/terms/\(version)/approve", success: [303])
    case "GET /api/me": return RouteExample(path: "/api/me", success: [200])
    case "GET /api/dealers": return RouteExample(path: "/api/dealers", success: [200])
    case "GET /api/dealers/{dealer}":
      return RouteExample(path: "/api/dealers/\(dealer)", success: [200])
    case "GET /api/dealers/{dealer}/terms":
      return RouteExample(path: "/api/dealers/\(dealer)/terms", success: [200])
    case "POST /api/dealers/{dealer}/terms":
      return RouteExample(
        path: "/api/dealers/\(dealer)/terms", body: Array(termsJSON.utf8),
        contentType: "application/json", success: [201])
    case "POST /api/dealers/{dealer}/terms/{version}/approve":
      let version = try pendingTerms(fixture)
      return RouteExample(path: "/api/dealers/\(dealer)/terms/\(version)/approve", success: [200])
    case "GET /api/approvals": return RouteExample(path: "/api/approvals", success: [200])
    case "GET /api/dealers/{dealer}/quote":
      return RouteExample(
        path: "/api/dealers/\(dealer)/quote?sku=SKU-1&quantity=60&date=2026-07-15", success: [200])
    case "GET /api/dealers/{dealer}/progress":
      return RouteExample(path: "/api/dealers/\(dealer)/progress?as_of=2026-08-20", success: [200])
    case "GET /api/policies": return RouteExample(path: "/api/policies", success: [200])
    case "POST /api/policies":
      let text = try String(
        contentsOf: APIFixture.repositoryRoot.appendingPathComponent("policies/standard-2026.toml"),
        encoding: .utf8)
      return RouteExample(path: "/api/policies", body: Array(text.utf8), success: [201])
    case "GET /api/audit": return RouteExample(path: "/api/audit?limit=5", success: [200])
    case "POST /api/dealers/{dealer}/sellout/{month}":
      return RouteExample(
        path: "/api/dealers/\(dealer)/sellout/2026-07", body: goodSellOut, contentType: "text/csv",
        success: [200, 201])
    case "GET /api/dealers/{dealer}/sellout":
      return RouteExample(path: "/api/dealers/\(dealer)/sellout", success: [200])
    case "GET /api/dealers/{dealer}/statements/{period}":
      return RouteExample(
        path: "/api/dealers/\(dealer)/statements/2026-Q3?format=json", success: [200])
    case "POST /api/periods/{period}/close":
      return RouteExample(
        path: "/api/periods/2026-Q3/close", body: Array("{\"policy\":\"standard-2026\"}".utf8),
        contentType: "application/json", success: [200])
    case "POST /api/periods/{period}/approve":
      // Each admitted role approves a period of its own, computed just before.
      let period = role == .finance ? "2026-Q1" : "2026-Q2"
      try draft(period, fixture)
      return RouteExample(path: "/api/periods/\(period)/approve", success: [200])
    case "GET /api/periods/{period}/cost":
      return RouteExample(path: "/api/periods/2026-Q3/cost", success: [200])
    case "GET /api/periods/{period}/credit-notes":
      return RouteExample(path: "/api/periods/2026-Q3/credit-notes", success: [200])
    case "GET /portal/finance":
      return RouteExample(path: "/portal/finance?period=2026-Q3", success: [200])
    case "POST /portal/finance/close":
      return RouteExample(
        path: "/portal/finance/close", body: Array("period=2026-Q3&policy=standard-2026".utf8),
        contentType: "application/x-www-form-urlencoded", success: [303])
    case "POST /portal/finance/approve":
      let period = role == .finance ? "2026-Q4" : "2027-Q1"
      try draft(period, fixture)
      return RouteExample(
        path: "/portal/finance/approve", body: Array("period=\(period)".utf8),
        contentType: "application/x-www-form-urlencoded", success: [303])
    default: return nil
    }
  }

  /// A pending terms version of the own dealer, issued by the second sales user (3 % is above
  /// the policy's 2 % approval level), so any other permitted user may approve it.
  static func pendingTerms(_ fixture: APIFixture) throws -> Int {
    let reply = try fixture.client.postJSON(
      "/api/dealers/\(dealer)/terms", token: fixture.issuerToken,
      "{\"policy\":\"standard-2026\",\"tier\":\"Gold\",\"extra_discount\":\"3%\",\"effective_from\":\"2026-01-01\"}"
    )
    guard reply.status == 201, let object = try reply.json() as? [String: Any],
      let version = object["version"] as? Int, object["approval"] as? String == "pending"
    else { throw ClientError("pending terms: \(reply.status) \(reply.text)") }
    return version
  }

  /// Computes `period` as a draft (finance, through the API).
  static func draft(_ period: String, _ fixture: APIFixture) throws {
    let reply = try fixture.client.postJSON(
      "/api/periods/\(period)/close", token: fixture.token(.finance),
      "{\"policy\":\"standard-2026\"}")
    guard reply.status == 200 else {
      throw ClientError("close \(period): \(reply.status) \(reply.text)")
    }
  }

  /// Sends `example` as `token`'s user (or anonymously).
  static func send(_ rule: RouteRule, _ example: RouteExample, token: String?, fixture: APIFixture)
    throws -> HTTPReply
  {
    try fixture.client.send(
      rule.method, example.path, token: token,
      headers: example.contentType.map { [("Content-Type", $0)] } ?? [], body: example.body)
  }
}
