import Foundation
import HTTPServer
import PostgresClient
import RebateAPI
import Testing

/// With `rebate serve`'s caches on: a change made through the server is seen at once, a change
/// made elsewhere (the CLI) within the cache time, never later.
@Suite("Caches", .serialized)
struct CacheTests {
  @Test func termsIssuedThroughTheServerChangeTheNextQuoteAtOnce() throws {
    let fixture = try APIFixture(cacheMilliseconds: 60_000)
    defer { fixture.stop() }
    let path = "/api/dealers/D-03/quote?sku=SKU-2&quantity=1&date=2026-07-15"
    let before = try #require(
      try fixture.client.get(path, token: fixture.token(.sales)).json() as? [String: Any])
    #expect(before["tier"] as? String == "Gold")
    #expect(before["net_unit_price"] as? String == "40.00")  // 50.00 less Gold 20 %
    let issued = try fixture.client.postJSON(
      "/api/dealers/D-03/terms", token: fixture.token(.sales),
      "{\"policy\":\"standard-2026\",\"tier\":\"Bronze\",\"effective_from\":\"2026-07-01\"}")
    #expect(issued.status == 201)
    let after = try #require(
      try fixture.client.get(path, token: fixture.token(.sales)).json() as? [String: Any])
    #expect(after["tier"] as? String == "Bronze")
    #expect(after["net_unit_price"] as? String == "45.00")  // 50.00 less Bronze 10 %
  }

  @Test func aTokenRevokedElsewhereStopsWorkingWithinTheCacheTime() throws {
    let fixture = try APIFixture(cacheMilliseconds: 300)
    defer { fixture.stop() }
    let token = fixture.token(.auditor)
    #expect(try fixture.client.get("/api/me", token: token).status == 200)
    let connection = try Connection(fixture.conninfo)
    defer { connection.close() }
    let id = String(APIToken.hash(token).prefix(UserDirectory.tokenIDLength))
    _ = try UserDirectory.revoke(tokenID: id, by: "test", on: connection)
    usleep(400_000)
    #expect(try fixture.client.get("/api/me", token: token).status == 401)
  }
}
