import Foundation
import HTTPServer
import PostgresClient
import RebateAPI
import Testing

/// Every route with every role, generated from `RebateApplication.rules`: the roles a rule
/// admits get the route's success, the others 403, no token 401; public routes admit all.
@Suite("Route access", .serialized)
struct RouteAccessTests {
  @Test func everyRouteWithEveryRoleGetsExactlyWhatItsRuleSays() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    try RouteExamples.draft("2026-Q3", fixture)
    var checked = 0
    for rule in RebateApplication.rules {
      // Without a token.
      let anonymous = try #require(
        try RouteExamples.example(for: rule, role: .admin, fixture: fixture),
        "no example for \(rule)")
      let unauthenticated = try RouteExamples.send(rule, anonymous, token: nil, fixture: fixture)
      if rule.roles == nil {
        #expect(unauthenticated.status < 400, "\(rule) is public: \(unauthenticated.status)")
      } else {
        #expect(unauthenticated.status == 401, "\(rule) without a token: \(unauthenticated.status)")
      }
      for role in Role.allCases {
        let example = try #require(
          try RouteExamples.example(for: rule, role: role, fixture: fixture))
        let reply = try RouteExamples.send(
          rule, example, token: fixture.token(role), fixture: fixture)
        if rule.admits(role) {
          #expect(
            example.success.contains(reply.status),
            "\(rule) as \(role): \(reply.status) \(reply.text.prefix(300))")
        } else {
          #expect(reply.status == 403, "\(rule) as \(role) must be refused: \(reply.status)")
          #expect(reply.text.contains("E-HTTP-FORBIDDEN"))
        }
        checked += 1
      }
    }
    #expect(checked == RebateApplication.rules.count * Role.allCases.count)
  }

  @Test func rulesAreConsistentWithTheirRoutes() {
    for rule in RebateApplication.rules {
      if rule.changesData { #expect(rule.method != "GET", "\(rule) changes data on GET") }
      #expect(!rule.admits(.auditor) || !rule.changesData || rule.roles == nil, "\(rule)")
      if rule.roles?.contains(.dealer) == true && rule.pattern.contains("{dealer}") {
        #expect(rule.scope == .pathDealer, "\(rule) names a dealer but does not scope by it")
      }
    }
  }

  @Test func aRevokedTokenIsRefusedAndTheRevocationIsAudited() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let token = fixture.token(.sales)
    #expect(try fixture.client.get("/api/me", token: token).status == 200)
    let id = try #require(
      try fixture.query(
        "SELECT left(token_sha256, 12) AS id FROM api_tokens WHERE user_name = 'sales-user'"
      )
      .first?["id"])
    let connection = try Connection(fixture.conninfo)
    defer { connection.close() }
    #expect(try UserDirectory.revoke(tokenID: id, by: "test-admin", on: connection) == "sales-user")
    let refused = try fixture.client.get("/api/me", token: token)
    #expect(refused.status == 401)
    #expect(refused.text.contains("E-HTTP-UNAUTHENTICATED"))
    let audit = try fixture.query(
      "SELECT actor, details->>'token_id' AS id FROM audit_log WHERE action = 'token.revoke'")
    #expect(audit == [["actor": "test-admin", "id": id]])
    // Tokens are stored only as hashes.
    let stored = try fixture.query("SELECT token_sha256 FROM api_tokens").map {
      $0["token_sha256"]!
    }
    #expect(!stored.contains(token))
    #expect(stored.contains(APIToken.hash(token)))
  }
}
