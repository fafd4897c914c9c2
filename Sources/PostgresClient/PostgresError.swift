/// A failure talking to PostgreSQL. It carries what the server said (SQLSTATE, message, detail,
/// hint) and what we were trying to do (`purpose`), so a message names the place and the reason.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    /// Could not open a connection (bad URL, server down, authentication).
    case connect = "E-DB-CONNECT"
    /// A statement failed on the server or the connection broke while running it.
    case query = "E-DB-QUERY"
    /// A COPY stream failed (sending data, ending the stream, or the server refused the rows).
    case copy = "E-DB-COPY"
    /// A value read from a row is NULL or not of the type asked for.
    case type = "E-DB-TYPE"
    /// A statement parameter holds a NUL byte. libpq passes parameters as C strings, so the
    /// server would store the text cut at the NUL; the statement is refused before it is sent.
    case nul = "E-DB-NUL"
  }

  public let kind: Kind
  /// The five-character SQLSTATE the server reported; nil when the failure was client-side.
  public let sqlState: String?
  public let message: String
  public let detail: String?
  public let hint: String?
  /// What the failing statement was for ("record migration 002_documents.sql").
  public let purpose: String

  public init(
    kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
    hint: String? = nil, purpose: String
  ) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
    self.detail = detail
    self.hint = hint
    self.purpose = purpose
  }

  public var code: String { kind.rawValue }

  public var description: String {
    var text = "\(code): \(purpose): \(message)"
    if let sqlState { text += " (SQLSTATE \(sqlState))" }
    if let detail, !detail.isEmpty { text += "; detail: \(detail)" }
    if let hint, !hint.isEmpty { text += "; hint: \(hint)" }
    return text
  }
}

/// SQLSTATEs the code reacts to by name.
public enum SQLState {
  public static let uniqueViolation = "23505"
  public static let foreignKeyViolation = "23503"
  public static let checkViolation = "23514"
  public static let undefinedTable = "42P01"
  public static let syntaxError = "42601"
  public static let invalidTextRepresentation = "22P02"
  /// Raised by the schema's own triggers when a closed period's results would change.
  public static let closedPeriod = "RB001"
  /// Raised by the schema's own triggers when an immutable record (a loaded policy) would change.
  public static let immutableRecord = "RB002"
}
