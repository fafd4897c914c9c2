import Foundation
import HTTPServer
import RebateAPI
import Testing

/// A dealer token reaching for another dealer's data by every path: the `{dealer}` segment,
/// the query string and the body. Every attempt is refused and nothing of the other dealer
/// appears in any answer or changes in the database.
@Suite("Dealer isolation", .serialized)
struct DealerIsolationTests {
  static let other = APIFixture.otherDealer

  /// Text that only the other dealer's data contains.
  static func leaks(_ reply: HTTPReply) -> Bool {
    reply.text.contains(APIFixture.otherDealerName) || reply.text.contains("INV-2")
  }

  @Test func anotherDealerInTheURLIsRefusedOnEveryRoute() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    try RouteExamples.draft("2026-Q3", fixture)
    let before = try snapshot(fixture)
    let token = fixture.token(.dealer)
    var attempts = 0
    for rule in RebateApplication.rules where rule.scope == .pathDealer {
      var example = try #require(
        try RouteExamples.example(for: rule, role: .dealer, fixture: fixture))
      example.path = example.path.replacingOccurrences(
        of: "/\(APIFixture.ownDealer)", with: "/\(Self.other)")
      #expect(example.path.contains(Self.other), "\(rule): \(example.path)")
      let reply = try RouteExamples.send(rule, example, token: token, fixture: fixture)
      #expect(
        reply.status == 403, "\(rule) as D-01 for D-02: \(reply.status) \(reply.text.prefix(200))")
      #expect(!Self.leaks(reply), "\(rule) leaked D-02 data")
      attempts += 1
    }
    #expect(attempts >= 12)
    #expect(try snapshot(fixture) == before)
  }

  @Test func anotherDealerInTheQueryOrBodyIsRefusedOnEveryRoute() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    try RouteExamples.draft("2026-Q3", fixture)
    let before = try snapshot(fixture)
    let token = fixture.token(.dealer)
    for rule in RebateApplication.rules where rule.roles != nil {
      let example = try #require(
        try RouteExamples.example(for: rule, role: .dealer, fixture: fixture))
      // In the query string.
      var inQuery = example
      inQuery.path += (example.path.contains("?") ? "&" : "?") + "dealer=\(Self.other)"
      let queried = try RouteExamples.send(rule, inQuery, token: token, fixture: fixture)
      #expect([400, 403].contains(queried.status), "\(rule) ?dealer=: \(queried.status)")
      #expect(!Self.leaks(queried), "\(rule) ?dealer= leaked")
      // In the body, in whatever form the route reads.
      guard rule.method == "POST", let body = Self.withDealer(example) else { continue }
      var inBody = example
      inBody.body = body
      let posted = try RouteExamples.send(rule, inBody, token: token, fixture: fixture)
      #expect(
        [400, 403].contains(posted.status),
        "\(rule) body dealer: \(posted.status) \(posted.text.prefix(200))")
      #expect(!Self.leaks(posted))
    }
    #expect(try snapshot(fixture) == before)
  }

  @Test func listingsShowADealerUserOnlyItsOwnDealer() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let token = fixture.token(.dealer)
    let dealers = try #require(
      try fixture.client.get("/api/dealers", token: token).json() as? [[String: Any]])
    #expect(dealers.map { $0["code"] as? String } == [APIFixture.ownDealer])
    let home = try fixture.client.get("/portal/home", token: token)
    #expect(home.status == 303)
    #expect(home.header("Location") == "/portal/dealers/\(APIFixture.ownDealer)")
    let staff = try #require(
      try fixture.client.get("/api/dealers", token: fixture.token(.auditor)).json()
        as? [[String: Any]])
    #expect(staff.count == APIFixture.dealerCount)
    let me = try #require(try fixture.client.get("/api/me", token: token).json() as? [String: Any])
    #expect(me["dealer"] as? String == APIFixture.ownDealer)
    #expect(me["role"] as? String == "dealer")
  }

  /// The example's body with the other dealer added: a JSON field, a form field, a multipart
  /// part; nil for raw bodies (a file or a policy text has no dealer to name).
  static func withDealer(_ example: RouteExample) -> [UInt8]? {
    let text = String(decoding: example.body, as: UTF8.self)
    switch example.contentType ?? "" {
    case "application/json":
      return Array((String(text.dropLast()) + ",\"dealer\":\"\(other)\"}").utf8)
    case "application/x-www-form-urlencoded": return Array((text + "&dealer=\(other)").utf8)
    case let type where type.hasPrefix("multipart/form-data"):
      let boundary = String(type.split(separator: "=").last!)
      return Array(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"dealer\"\r\n\r\n\(other)\r\n".utf8)
        + example.body
    default: return nil
    }
  }

  /// What the other dealer owns, to prove no attempt changed it.
  func snapshot(_ fixture: APIFixture) throws -> [[String: String]] {
    try fixture.query(
      """
      SELECT 'terms' AS what, count(*)::text AS n FROM dealer_terms WHERE dealer_id = 'D-02'
      UNION ALL SELECT 'sellout', count(*)::text FROM sellout_submissions WHERE dealer_id = 'D-02'
      UNION ALL SELECT 'audit', count(*)::text FROM audit_log WHERE subject LIKE 'D-02%'
      UNION ALL SELECT 'dealer-user-audit', count(*)::text FROM audit_log WHERE actor = 'dealer-user'
      """)
  }
}
