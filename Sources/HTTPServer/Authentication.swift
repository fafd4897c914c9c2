import Synchronization

/// Looks up who a token hash belongs to. The engine implements it over the `api_tokens` and
/// `users` tables (schema/020_users_and_tokens.sql); HTTPServer itself never touches the
/// database.
public protocol TokenVerifier: Sendable {
  /// The user owning the unrevoked token with this SHA-256 hash, or nil.
  func principal(forTokenHash hash: String) throws -> Principal?
}

/// Finds the credential a request presents and resolves it to a user.
public struct Authenticator: Sendable {
  /// The cookie the browser portal keeps its token in.
  public static let defaultCookieName = "rebate_token"

  public let verifier: any TokenVerifier
  public let cookieName: String
  private let hashes = TokenHashes()

  public init(verifier: any TokenVerifier, cookieName: String = Self.defaultCookieName) {
    self.verifier = verifier
    self.cookieName = cookieName
  }

  /// The token from `Authorization: Bearer …`, else from the cookie; nil when neither is there.
  public static func presentedToken(_ request: Request, cookieName: String) -> String? {
    if let authorization = request.headers["Authorization"],
      let token = bearerCredentials(authorization)
    {
      return token
    }
    for header in request.headers.values("Cookie") {
      for pair in header.split(separator: ";") {
        let trimmed = pair.drop { $0 == " " }
        guard let equals = trimmed.firstIndex(of: "=") else { continue }
        if trimmed[..<equals] == cookieName {
          return String(trimmed[trimmed.index(after: equals)...])
        }
      }
    }
    return nil
  }

  /// What follows the `Bearer` scheme (any case), blanks trimmed; nil for another scheme or
  /// none. Read on the contiguous UTF-8 bytes: this runs on every authenticated request, and
  /// walking `Substring` indices cost half of the authentication's CPU time.
  static func bearerCredentials(_ authorization: String) -> String? {
    var header = authorization
    return header.withUTF8 { bytes in
      let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
      guard let schemeStart = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }),
        let schemeEnd = bytes[schemeStart...].firstIndex(of: UInt8(ascii: " ")),
        ASCIICase.equal(bytes[schemeStart..<schemeEnd], "bearer".utf8),
        let first = bytes[schemeEnd...].firstIndex(where: { !isBlank($0) }),
        let last = bytes.lastIndex(where: { !isBlank($0) })
      else { return nil }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
    }
  }

  /// The authenticated user; 401 `E-HTTP-UNAUTHENTICATED` when no valid token is presented.
  public func authenticate(_ request: Request) throws -> Principal {
    guard let token = Self.presentedToken(request, cookieName: cookieName) else {
      throw HTTPError.unauthenticated("no bearer token or \(cookieName) cookie")
    }
    // A malformed token is refused before hashing, so junk never reaches the database.
    guard APIToken.isWellFormed(token),
      let principal = try verifier.principal(forTokenHash: hashes.hash(of: token))
    else {
      throw HTTPError.unauthenticated("the token is unknown or revoked")
    }
    return principal
  }

  /// Wraps `handler` so it runs only for an authenticated user; the access log names the user.
  public func protect(_ handler: @escaping @Sendable (Request, Principal) throws -> Response)
    -> Handler
  {
    let authenticator = self
    return { request in
      let principal = try authenticator.authenticate(request)
      var response = try handler(request, principal)
      response.user = principal.userName
      return response
    }
  }
}

/// The hashes of recently presented tokens. A client sends the same token on every request,
/// and hashing it each time was 5 % of a quote's server CPU time. Only the text-to-hash step is
/// remembered, which never goes stale: whether the hash still names an unrevoked token is
/// asked of the `TokenVerifier` on every request. When full the map is emptied, so made-up
/// tokens cannot grow it.
final class TokenHashes: Sendable {
  static let maxEntries = 10_000
  private let hashes = Mutex<[String: String]>([:])

  func hash(of token: String) -> String {
    if let known = hashes.withLock({ $0[token] }) { return known }
    let hash = APIToken.hash(token)
    hashes.withLock { hashes in
      if hashes.count >= Self.maxEntries { hashes.removeAll(keepingCapacity: true) }
      hashes[token] = hash
    }
    return hash
  }
}
