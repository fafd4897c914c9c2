import HTTPServer
import PostgresClient
import RebateCore

/// The API's own error codes (docs/errors.md, section "API"), answered as HTTP errors.
enum APIError {
  static func invalidField(_ name: String, _ reason: String) -> HTTPError {
    HTTPError(
      status: 400, code: "E-API-FIELD", message: "field '\(Identifier.printable(name))': \(reason)")
  }

  /// A path segment, query value or body field that names something (dealer, SKU, policy) and
  /// breaks the identifier grammar.
  static func invalidIdentifier(_ error: IdentifierError) -> HTTPError {
    HTTPError(
      status: 400, code: error.code,
      message: "field '\(error.what)': '\(error.shown)' \(error.reason)")
  }

  /// A value holding a NUL, an escape, a line break or a bidi control: libpq would cut it at a
  /// NUL, a log or a terminal would act on the others.
  static func controlCharacter(_ name: String, _ value: String) -> HTTPError? {
    guard let reason = Identifier.freeTextProblem(in: value, maximumLength: Int.max) else {
      return nil
    }
    return invalidField(name, "'\(Identifier.printable(value))' \(reason)")
  }

  static func unknownFields(_ names: [String], allowed: [String]) -> HTTPError {
    HTTPError(
      status: 400, code: "E-API-UNKNOWN-FIELD",
      message: "unknown field(s) \(Identifier.printable(names.joined(separator: ", "))); "
        + "this route accepts: "
        + (allowed.isEmpty ? "none" : allowed.joined(separator: ", ")))
  }

  static func unknownQuery(_ names: [String], allowed: [String]) -> HTTPError {
    HTTPError(
      status: 400, code: "E-API-UNKNOWN-QUERY",
      message: "unknown query parameter(s) \(Identifier.printable(names.joined(separator: ", "))); "
        + "this route accepts: "
        + (allowed.isEmpty ? "none" : allowed.joined(separator: ", ")))
  }

  static func badJSON(_ reason: String) -> HTTPError {
    HTTPError(
      status: 400, code: "E-API-JSON", message: "the request body is not a JSON object: \(reason)")
  }

  static func notFound(_ what: String) -> HTTPError {
    HTTPError(status: 404, code: "E-API-NOT-FOUND", message: what)
  }

  static func conflict(_ code: String, _ message: String) -> HTTPError {
    HTTPError(status: 409, code: code, message: message)
  }

  /// A domain rule refused the request (terms above the limit, self-approval, ...): the domain's
  /// own code and message go to the client unchanged.
  static func rule(_ code: String, _ message: String) -> HTTPError {
    HTTPError(status: 422, code: code, message: message)
  }

  static let busy = HTTPError(
    status: 503, code: "E-API-DB-BUSY",
    message: "every database connection is in use; retry shortly",
    headers: [HTTPHeader("Retry-After", "1")])
}
