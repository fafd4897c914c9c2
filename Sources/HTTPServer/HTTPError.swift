import RebateCore

/// An error answered to the client as `{"error":{"code":"E-HTTP-...","message":"..."}}`.
///
/// Handlers throw it for anything the client can fix (bad input, missing rights); any other
/// error a handler throws becomes `E-HTTP-INTERNAL` with the request id and no internals.
/// Codes are stable and documented in docs/errors.md (section "HTTP").
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
  public let status: Int
  public let code: String
  public let message: String
  /// Extra response headers the error needs (`Allow`, `Retry-After`, `WWW-Authenticate`).
  public let headers: [HTTPHeader]

  public init(status: Int, code: String, message: String, headers: [HTTPHeader] = []) {
    precondition((400...599).contains(status), "an HTTP error has a 4xx or 5xx status")
    precondition(code.hasPrefix("E-"), "error codes follow the catalogue (E-AREA-NAME)")
    self.status = status
    self.code = code
    self.message = message
    self.headers = headers
  }

  public var description: String { "\(code) (\(status)): \(message)" }

  public static func badRequest(_ message: String) -> HTTPError {
    HTTPError(status: 400, code: "E-HTTP-BAD-REQUEST", message: message)
  }

  public static func unauthenticated(_ message: String) -> HTTPError {
    HTTPError(
      status: 401, code: "E-HTTP-UNAUTHENTICATED", message: message,
      headers: [HTTPHeader("WWW-Authenticate", "Bearer")])
  }

  public static func forbidden(_ message: String) -> HTTPError {
    HTTPError(status: 403, code: "E-HTTP-FORBIDDEN", message: message)
  }

  public static func notFound(path: String) -> HTTPError {
    HTTPError(status: 404, code: "E-HTTP-NOT-FOUND", message: "no resource at \(path)")
  }

  public static func methodNotAllowed(method: String, path: String, allowed: [String])
    -> HTTPError
  {
    HTTPError(
      status: 405, code: "E-HTTP-METHOD-NOT-ALLOWED",
      message: "\(path) does not accept \(method); allowed: \(allowed.joined(separator: ", "))",
      headers: [HTTPHeader("Allow", allowed.joined(separator: ", "))])
  }

  static func requestTimeout(limitMilliseconds: Int) -> HTTPError {
    HTTPError(
      status: 408, code: "E-HTTP-TIMEOUT",
      message: "the request was not received within \(limitMilliseconds) ms")
  }

  static func bodyTooLarge(limitBytes: Int) -> HTTPError {
    HTTPError(
      status: 413, code: "E-HTTP-BODY-TOO-LARGE",
      message: "the request body exceeds \(limitBytes) bytes")
  }

  static func headersTooLarge(limitBytes: Int) -> HTTPError {
    HTTPError(
      status: 431, code: "E-HTTP-HEADERS-TOO-LARGE",
      message: "the request line and headers exceed \(limitBytes) bytes")
  }

  static func internalError(requestID: String) -> HTTPError {
    HTTPError(
      status: 500, code: "E-HTTP-INTERNAL",
      message: "internal error; quote request id \(requestID) when reporting it")
  }

  static func busy(retryAfterSeconds: Int) -> HTTPError {
    HTTPError(
      status: 503, code: "E-HTTP-BUSY",
      message: "too many uploads in progress; retry in \(retryAfterSeconds) s",
      headers: [HTTPHeader("Retry-After", String(retryAfterSeconds))])
  }

  static let shuttingDown = HTTPError(
    status: 503, code: "E-HTTP-SHUTTING-DOWN", message: "the server is shutting down",
    headers: [HTTPHeader("Connection", "close")])

  /// The JSON body of this error.
  var jsonBody: String {
    "{\"error\":{\"code\":\(JSONText.quoted(code)),\"message\":\(JSONText.quoted(message))}}"
  }
}

/// Errors of the server itself (not answered to a client).
public enum ServerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The daemon could not start: address in use, bad configuration, out of resources.
  case startFailed(String)

  public var code: String { "E-HTTP-START" }

  public var description: String {
    switch self {
    case .startFailed(let reason): return "\(code): the HTTP server did not start: \(reason)"
    }
  }
}
