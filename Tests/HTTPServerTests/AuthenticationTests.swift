import HTTPServer
import RebateCore
import Synchronization
import Testing

/// Tokens held in memory by hash, as the engine's database-backed verifier will hold them.
struct InMemoryVerifier: TokenVerifier {
  let principals: [String: Principal]

  func principal(forTokenHash hash: String) throws -> Principal? { principals[hash] }
}

/// Tokens that can be revoked while requests are being authenticated.
final class RevocableVerifier: TokenVerifier {
  private let principals: Mutex<[String: Principal]>

  init(_ principals: [String: Principal]) { self.principals = Mutex(principals) }

  func principal(forTokenHash hash: String) throws -> Principal? {
    principals.withLock { $0[hash] }
  }

  func revoke(hash: String) { _ = principals.withLock { $0.removeValue(forKey: hash) } }
}

/// A request carrying `headers`, as the server would hand it to a handler.
func request(headers: [(String, String)]) throws -> Request {
  try Request(
    id: "0000000000000001", method: "GET", path: "/api/me",
    headers: HTTPHeaders(headers.map { HTTPHeader($0.0, $0.1) }))
}

@Suite struct AuthenticationTests {
  @Test func issuedTokensAreRandomAndStoredOnlyAsTheirHash() throws {
    let first = try APIToken.issue()
    let second = try APIToken.issue()
    #expect(first.text != second.text)
    #expect(first.text.count == 4 + 64)
    #expect(first.text.hasPrefix("rbt_"))
    #expect(APIToken.isWellFormed(first.text))
    #expect(first.hash == SHA256.hex(first.text))
    #expect(first.hash.count == 64)
    #expect(!first.hash.contains(String(first.text.dropFirst(4))))
  }

  @Test func malformedTokensAreRecognised() {
    #expect(!APIToken.isWellFormed("rbt_" + String(repeating: "g", count: 64)))
    #expect(!APIToken.isWellFormed("rbt_" + String(repeating: "a", count: 63)))
    #expect(!APIToken.isWellFormed("xyz_" + String(repeating: "a", count: 64)))
    #expect(APIToken.isWellFormed("rbt_" + String(repeating: "a", count: 64)))
  }

  @Test func aDealerPrincipalMustBeBoundToOneDealer() throws {
    #expect(throws: HTTPError.self) {
      try Principal(userName: "d1", role: .dealer, dealerCode: nil)
    }
    #expect(throws: HTTPError.self) { try Principal(userName: "d1", role: .dealer, dealerCode: "") }
    #expect(throws: HTTPError.self) {
      try Principal(userName: "f1", role: .finance, dealerCode: "D-1")
    }
    let dealer = try Principal(userName: "d1", role: .dealer, dealerCode: "D-1")
    #expect(dealer.maySee(dealer: "D-1"))
    #expect(!dealer.maySee(dealer: "D-2"))
    #expect(throws: HTTPError.forbidden("user d1 may not see dealer D-2")) {
      try dealer.requireAccess(toDealer: "D-2")
    }
    let auditor = try Principal(userName: "a1", role: .auditor, dealerCode: nil)
    #expect(auditor.maySee(dealer: "D-2"))
    #expect(auditor.role.isReadOnly)
    #expect(throws: HTTPError.self) { try auditor.require([.finance, .admin]) }
  }

  @Test func bearerAndCookieTokensAuthenticateOverTheWire() throws {
    let token = try APIToken.issue()
    let finance = try Principal(userName: "fiona", role: .finance, dealerCode: nil)
    let authenticator = Authenticator(
      verifier: InMemoryVerifier(principals: [token.hash: finance]))
    var router = Router()
    router.get(
      "/api/me",
      authenticator.protect { _, principal in
        .json("{\"user\":\"\(principal.userName)\",\"role\":\"\(principal.role.rawValue)\"}")
      })
    let fixture = try TestServer(router: router)
    defer { fixture.server.shutdown() }

    let bearer = try Client.get(
      port: fixture.port, "/api/me", headers: [("Authorization", "Bearer \(token.text)")])
    #expect(bearer.status == 200)
    #expect(bearer.text == "{\"user\":\"fiona\",\"role\":\"finance\"}")

    let cookie = try Client.get(
      port: fixture.port, "/api/me",
      headers: [("Cookie", "theme=dark; rebate_token=\(token.text); lang=en")])
    #expect(cookie.status == 200)

    let missing = try Client.get(port: fixture.port, "/api/me")
    #expect(missing.status == 401)
    #expect(missing.header("WWW-Authenticate") == "Bearer")
    #expect(try missing.errorCode() == "E-HTTP-UNAUTHENTICATED")

    let wrong = try APIToken.issue()
    let unknown = try Client.get(
      port: fixture.port, "/api/me", headers: [("Authorization", "Bearer \(wrong.text)")])
    #expect(unknown.status == 401)

    let lines = fixture.log.waitFor(count: 4)
    #expect(lines.filter { $0["user"] as? String == "fiona" }.count == 2)
  }

  @Test func theBearerSchemeIsReadInAnyCaseAndTheTokenTrimmed() throws {
    let token = "rbt_" + String(repeating: "ab", count: 32)
    func presented(_ headers: [(String, String)]) throws -> String? {
      Authenticator.presentedToken(try request(headers: headers), cookieName: "rebate_token")
    }
    #expect(try presented([("authorization", "Bearer \(token)")]) == token)
    #expect(try presented([("AUTHORIZATION", "  bEaReR   \(token) \t")]) == token)
    #expect(try presented([("Authorization", "Bearer ")]) == nil)
    #expect(try presented([("Authorization", "Bearertoken")]) == nil)
    #expect(
      try presented([("Authorization", "Basic Zm9vOmJhcg=="), ("Cookie", "rebate_token=\(token)")])
        == token)
  }

  /// The authenticator remembers token hashes, never verdicts: a token revoked between two
  /// requests is refused on the second.
  @Test func aRevokedTokenIsRefusedOnTheNextRequestThoughItsHashIsRemembered() throws {
    let token = try APIToken.issue()
    let finance = try Principal(userName: "fiona", role: .finance, dealerCode: nil)
    let verifier = RevocableVerifier([token.hash: finance])
    let authenticator = Authenticator(verifier: verifier)
    let presented = try request(headers: [("Authorization", "Bearer \(token.text)")])
    #expect(try authenticator.authenticate(presented) == finance)
    #expect(try authenticator.authenticate(presented) == finance)
    verifier.revoke(hash: token.hash)
    #expect(throws: HTTPError.self) { try authenticator.authenticate(presented) }
  }
}
