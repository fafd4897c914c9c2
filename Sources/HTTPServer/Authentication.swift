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

  public init(verifier: any TokenVerifier, cookieName: String = Self.defaultCookieName) {
    self.verifier = verifier
    self.cookieName = cookieName
  }

  /// The token from `Authorization: Bearer …`, else from the cookie; nil when neither is there.
  public static func presentedToken(_ request: Request, cookieName: String) -> String? {
    if let authorization = request.headers["Authorization"] {
      let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
      if parts.count == 2 && parts[0].lowercased() == "bearer" {
        return parts[1].trimmingBlanks()
      }
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

  /// The authenticated user; 401 `E-HTTP-UNAUTHENTICATED` when no valid token is presented.
  public func authenticate(_ request: Request) throws -> Principal {
    guard let token = Self.presentedToken(request, cookieName: cookieName) else {
      throw HTTPError.unauthenticated("no bearer token or \(cookieName) cookie")
    }
    // A malformed token is refused before hashing, so junk never reaches the database.
    guard APIToken.isWellFormed(token),
      let principal = try verifier.principal(forTokenHash: APIToken.hash(token))
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

extension Substring {
  /// Trims spaces and tabs on the UTF-8 view: this runs on every authenticated request, and the
  /// character-wise reversed version was a quarter of a quote's CPU time.
  fileprivate func trimmingBlanks() -> String {
    let bytes = utf8
    let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    guard let first = bytes.firstIndex(where: { !isBlank($0) }),
      let last = bytes.lastIndex(where: { !isBlank($0) })
    else { return "" }
    return String(self[first...last])
  }
}
