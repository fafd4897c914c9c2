import HTTPServer
import PostgresClient

/// `TokenVerifier` over `api_tokens` and `users` (schema/020_users_and_tokens.sql): a token
/// counts only while neither it is revoked nor its user disabled.
public struct PostgresTokenVerifier: TokenVerifier {
  let services: APIServices

  public init(services: APIServices) { self.services = services }

  public func principal(forTokenHash hash: String) throws -> Principal? {
    try services.principals.value(hash) {
      try services.withConnection { connection in try Self.lookup(hash, on: connection) }
    }
  }

  static func lookup(_ hash: String, on connection: Connection) throws -> Principal? {
    let rows = try connection.query(
      """
      SELECT u.user_name, u.role, u.dealer_id FROM api_tokens t JOIN users u USING (user_name)
      WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL
      """, [hash], purpose: "verify token")
    guard let row = rows.rows.first else { return nil }
    let roleText = try row.string("role")
    guard let role = Role(rawValue: roleText) else {
      throw HTTPError(
        status: 500, code: "E-HTTP-PRINCIPAL", message: "user has unknown role \(roleText)")
    }
    return try Principal(
      userName: try row.string("user_name"), role: role,
      dealerCode: try row.optionalString("dealer_id"))
  }
}
