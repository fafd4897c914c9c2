import HTTPServer
import PostgresClient
import RebateCore
import RebateStore

/// Users and their API tokens: creation, listing and revocation. Tokens are shown once and
/// stored only as SHA-256 hashes; every change is written to the audit log in the same
/// transaction.
public enum UserDirectory {
  /// A token's public id: the first 12 hex digits of its hash (the hash, not the token, so the
  /// id reveals nothing that lets anyone in).
  public static let tokenIDLength = 12
  public static let maxLabelLength = 200

  public struct Listing: Sendable, Equatable {
    public let userName: String
    public let role: Role
    public let dealerCode: String?
    public let disabled: Bool
    public let activeTokenIDs: [String]
    public let revokedTokenCount: Int
  }

  /// Creates the user (unless it exists with the same role and dealer) and issues a token for it.
  /// Returns the token text, to be shown once.
  public static func addUser(
    name: String, role: Role, dealerCode: String?, label: String, by actor: String,
    on connection: Connection, now: @escaping @Sendable () -> String = APIServices.systemNow
  ) throws -> String {
    let store = APIServices.store(on: connection, now: now)
    for (what, code) in [("user", name), ("dealer", dealerCode)] {
      guard let code else { continue }
      if let reason = Identifier.problem(in: code) {
        throw UserError.identifier(IdentifierError(what: what, text: code, reason: reason))
      }
    }
    _ = try Principal(userName: name, role: role, dealerCode: dealerCode)
    if let reason = Identifier.freeTextProblem(in: label, maximumLength: maxLabelLength) {
      throw UserError.invalid("the label \(reason)")
    }
    let issued = try APIToken.issue()
    try store.connection.transaction(purpose: "add user \(name)") { connection in
      let existing = try connection.query(
        "SELECT role, dealer_id FROM users WHERE user_name = $1", [name], purpose: "find user")
      if let row = existing.rows.first {
        let storedDealer = try row.optionalString("dealer_id")
        let sameDealer =
          switch (storedDealer, dealerCode) {
          case (nil, nil): true
          case (let stored?, let given?): stored.utf8.elementsEqual(given.utf8)
          default: false
          }
        guard try row.string("role") == role.rawValue, sameDealer else {
          throw UserError.invalid("user \(name) exists with another role or dealer")
        }
      } else {
        if let dealerCode {
          let dealers = try connection.query(
            "SELECT 1 FROM dealers WHERE dealer_id = $1", [dealerCode], purpose: "find dealer")
          guard dealers.rowCount == 1 else { throw UserError.unknownDealer(dealerCode) }
        }
        try connection.execute(
          "INSERT INTO users (user_name, role, dealer_id) VALUES ($1, $2, $3)",
          [name, role.rawValue, dealerCode], purpose: "insert user \(name)")
        try store.audit(
          actor: actor, action: "user.add", subject: name,
          details: ["role": role.rawValue, "dealer": dealerCode ?? ""])
      }
      try connection.execute(
        "INSERT INTO api_tokens (token_sha256, user_name, label) VALUES ($1, $2, $3)",
        [issued.hash, name, label], purpose: "insert token for \(name)")
      try store.audit(
        actor: actor, action: "token.issue", subject: name,
        details: ["token_id": String(issued.hash.prefix(tokenIDLength)), "label": label])
    }
    return issued.text
  }

  /// Revokes the one active token whose id (hash prefix) is `tokenID`; returns its user.
  public static func revoke(
    tokenID: String, by actor: String, on connection: Connection,
    now: @escaping @Sendable () -> String = APIServices.systemNow
  ) throws -> String {
    let store = APIServices.store(on: connection, now: now)
    guard tokenID.count == tokenIDLength,
      tokenID.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
    else {
      throw UserError.invalid("a token id is \(tokenIDLength) lower-case hex digits")
    }
    return try store.connection.transaction(purpose: "revoke token \(tokenID)") { connection in
      let rows = try connection.query(
        """
        UPDATE api_tokens SET revoked_at = greatest(now(), created_at)
        WHERE left(token_sha256, 12) = $1 AND revoked_at IS NULL RETURNING user_name
        """, [tokenID], purpose: "revoke token \(tokenID)")
      guard rows.rowCount == 1 else {
        throw UserError.unknownToken(tokenID)
      }
      let user = try rows[0].string("user_name")
      try store.audit(
        actor: actor, action: "token.revoke", subject: user, details: ["token_id": tokenID])
      return user
    }
  }

  public static func list(on connection: Connection) throws -> [Listing] {
    let rows = try connection.query(
      """
      SELECT u.user_name, u.role, u.dealer_id, u.disabled_at IS NOT NULL AS disabled,
        coalesce(string_agg(left(t.token_sha256, 12), ' ' ORDER BY t.created_at, t.token_sha256)
          FILTER (WHERE t.revoked_at IS NULL), '') AS active,
        count(t.token_sha256) FILTER (WHERE t.revoked_at IS NOT NULL) AS revoked
      FROM users u LEFT JOIN api_tokens t USING (user_name)
      GROUP BY u.user_name ORDER BY u.user_name
      """, purpose: "list users")
    return try rows.rows.map { row in
      let roleText = try row.string("role")
      guard let role = Role(rawValue: roleText) else {
        throw UserError.invalid("user has unknown role \(roleText)")
      }
      return Listing(
        userName: try row.string("user_name"), role: role,
        dealerCode: try row.optionalString("dealer_id"),
        disabled: try row.string("disabled") == "t",
        activeTokenIDs: try row.string("active").split(separator: " ").map(String.init),
        revokedTokenCount: Int(try row.int64("revoked")))
    }
  }
}

/// Errors of user and token management (docs/errors.md, section "API").
public enum UserError: Error, Sendable, CustomStringConvertible {
  case invalid(String)
  case identifier(IdentifierError)
  case unknownDealer(String)
  case unknownToken(String)

  public var code: String {
    switch self {
    case .invalid: return "E-API-USER"
    case .identifier(let error): return error.code
    case .unknownDealer: return "E-API-USER-DEALER"
    case .unknownToken: return "E-API-TOKEN-UNKNOWN"
    }
  }

  public var description: String {
    switch self {
    case .invalid(let reason): return "\(code): \(reason)"
    case .identifier(let error): return error.description
    case .unknownDealer(let dealer):
      return "\(code): dealer \(dealer) does not exist; import it before adding its users"
    case .unknownToken(let id): return "\(code): no active token has id \(id)"
    }
  }
}
