import Foundation

/// What a handler answers: status, headers and the complete body.
public struct Response: Sendable {
  public var status: Int
  public var headers: HTTPHeaders
  public var body: [UInt8]
  /// The route pattern that produced it (set by `Router`); metrics are labelled by pattern, never
  /// by raw path, so their number stays bounded.
  public var route: String?
  /// Who the request was authenticated as, for the access log.
  public var user: String?

  /// A status outside 100...599 is answered as a 500 (a handler bug must not stop the server).
  public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public init(status: Int, contentType: String, text: String) {
    self.init(
      status: status, headers: HTTPHeaders([HTTPHeader("Content-Type", contentType)]),
      body: Array(text.utf8))
  }

  /// A JSON body the caller already serialised.
  public static func json(_ text: String, status: Int = 200) -> Response {
    json(Array(text.utf8), status: status)
  }

  /// A JSON body the caller already serialised as UTF-8 bytes (the hot routes build bytes).
  public static func json(_ body: [UInt8], status: Int = 200) -> Response {
    Response(
      status: status,
      headers: HTTPHeaders([HTTPHeader("Content-Type", "application/json; charset=utf-8")]),
      body: body)
  }

  /// `value` encoded as JSON with sorted keys, so equal values give identical bytes.
  public static func json(encoding value: some Encodable, status: Int = 200) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return json(Array(try encoder.encode(value)), status: status)
  }

  public static func html(_ text: String, status: Int = 200) -> Response {
    Response(status: status, contentType: "text/html; charset=utf-8", text: text)
  }

  /// A CSV download; `fileName` becomes the attachment name the browser saves it under.
  public static func csv(_ text: String, fileName: String? = nil, status: Int = 200) -> Response {
    var response = Response(status: status, contentType: "text/csv; charset=utf-8", text: text)
    if let fileName {
      let safeName = String(fileName.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0 >= " " })
      response.headers.append("Content-Disposition", "attachment; filename=\"\(safeName)\"")
    }
    return response
  }

  public static func text(_ text: String, status: Int = 200) -> Response {
    Response(status: status, contentType: "text/plain; charset=utf-8", text: text)
  }

  /// The JSON error body for `error`.
  public static func error(_ error: HTTPError) -> Response {
    var response = Response.json(error.jsonBody, status: error.status)
    for header in error.headers { response.headers.set(header.name, header.value) }
    return response
  }
}
