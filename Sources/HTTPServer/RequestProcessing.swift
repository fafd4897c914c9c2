import CMicroHTTPD
import Glibc

// libmicrohttpd calls these plain global functions from its worker threads. They are not
// closures in main.swift, so no actor isolation check can trap (docs/http.md); the server
// arrives through the `cls` pointer, the request state through `con_cls`.

let serverAccessHandler: MHD_AccessHandlerCallback = {
  context, connection, url, method, _, uploadData, uploadDataSize, requestState in
  guard let context, let connection, let url, let method, let uploadDataSize, let requestState
  else { return .NO }
  let server = Unmanaged<Server>.fromOpaque(context).takeUnretainedValue()
  guard let state = requestState.pointee else {
    let exchange = Exchange(
      method: String(cString: method), rawPath: String(cString: url),
      remoteAddress: ConnectionReader.remoteAddress(connection))
    requestState.pointee = Unmanaged.passRetained(exchange).toOpaque()
    server.metrics.requestsInFlight.add(1, ordering: .relaxed)
    return server.begin(exchange, connection)
  }
  let exchange = Unmanaged<Exchange>.fromOpaque(state).takeUnretainedValue()
  if uploadDataSize.pointee > 0 {
    let chunk = UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee)
    uploadDataSize.pointee = 0
    return server.receive(chunk, exchange, connection)
  }
  if exchange.answered { return .YES }
  return server.finish(exchange, connection)
}

let serverRequestCompleted: MHD_RequestCompletedCallback = {
  context, _, requestState, _ in
  guard let context, let requestState, let state = requestState.pointee else { return }
  requestState.pointee = nil
  let server = Unmanaged<Server>.fromOpaque(context).takeUnretainedValue()
  let exchange = Unmanaged<Exchange>.fromOpaque(state).takeRetainedValue()
  server.complete(exchange)
}

extension Server {
  /// First call: headers are in, no body yet. Refuses early whatever can be refused early.
  func begin(_ exchange: Exchange, _ connection: OpaquePointer) -> MHD_Result {
    let limits = configuration.limits
    exchange.headers = ConnectionReader.headers(connection)
    if draining.load(ordering: .acquiring) {
      return answer(.error(.shuttingDown), exchange, connection)
    }
    if headerBytes(exchange) > limits.maxHeaderBytes {
      return answer(
        .error(.headersTooLarge(limitBytes: limits.maxHeaderBytes)), exchange, connection)
    }
    var expectsBody =
      exchange.headers["Transfer-Encoding"]?.lowercased().contains("chunked") ?? false
    if let declared = exchange.headers["Content-Length"] {
      guard let length = Int(declared.trimmingSpaces), length >= 0 else {
        return answer(
          .error(.badRequest("Content-Length '\(declared.prefix(40))' is not a byte count")),
          exchange, connection)
      }
      if length > limits.maxBodyBytes {
        return answer(.error(.bodyTooLarge(limitBytes: limits.maxBodyBytes)), exchange, connection)
      }
      expectsBody = expectsBody || length > 0
    }
    if expectsBody {
      let uploads = metrics.uploadsInFlight.wrappingAdd(1, ordering: .acquiringAndReleasing)
        .newValue
      exchange.holdsUploadSlot = true
      if uploads > limits.maxUploadsInFlight {
        return answer(
          .error(.busy(retryAfterSeconds: limits.retryAfterSeconds)), exchange, connection)
      }
    }
    return .YES
  }

  /// A body chunk. Past a limit the body stops being stored; the error is answered when the
  /// body ends, or the connection is closed if the client keeps sending (see `pendingError`).
  func receive(_ chunk: UnsafeRawBufferPointer, _ exchange: Exchange, _ connection: OpaquePointer)
    -> MHD_Result
  {
    if exchange.answered { return .YES }
    let limits = configuration.limits
    let elapsedMilliseconds = exchange.elapsedMicroseconds / 1000
    if exchange.pendingError != nil {
      exchange.discardedBytes += chunk.count
      let abandonMilliseconds = limits.maxRequestMilliseconds + limits.idleTimeoutSeconds * 1000
      let keepDraining =
        exchange.discardedBytes <= limits.maxDiscardedBodyBytes
        && elapsedMilliseconds <= abandonMilliseconds
      return keepDraining ? .YES : .NO
    }
    if elapsedMilliseconds > limits.maxRequestMilliseconds {
      exchange.pendingError = .requestTimeout(limitMilliseconds: limits.maxRequestMilliseconds)
    } else if exchange.body.count + chunk.count > limits.maxBodyBytes {
      exchange.pendingError = .bodyTooLarge(limitBytes: limits.maxBodyBytes)
    } else {
      exchange.body.append(contentsOf: chunk)
      return .YES
    }
    exchange.body = []
    exchange.discardedBytes = chunk.count
    return .YES
  }

  /// Final call: the whole request is in; run the built-in endpoint or the handler.
  func finish(_ exchange: Exchange, _ connection: OpaquePointer) -> MHD_Result {
    if let pendingError = exchange.pendingError {
      var response = Response.error(pendingError)
      response.headers.set("Connection", "close")
      return answer(response, exchange, connection)
    }
    let request: Request
    do {
      request = try Request(
        id: exchange.id, method: exchange.method, path: exchange.rawPath,
        query: try ConnectionReader.query(connection), headers: exchange.headers,
        body: exchange.body, remoteAddress: exchange.remoteAddress)
    } catch {
      return answer(.error(error), exchange, connection)
    }
    exchange.body = []
    return answer(respond(to: request, exchange), exchange, connection)
  }

  private func respond(to request: Request, _ exchange: Exchange) -> Response {
    if let builtIn = builtInResponse(request) { return builtIn }
    do {
      return try handler(request)
    } catch let error as HTTPError {
      return .error(error)
    } catch let failure as Router.RouteFailure {
      exchange.route = failure.route
      exchange.internalError = String(describing: failure.underlying)
      return .error(.internalError(requestID: request.id))
    } catch {
      exchange.internalError = String(describing: error)
      return .error(.internalError(requestID: request.id))
    }
  }

  private func builtInResponse(_ request: Request) -> Response? {
    guard request.method == "GET" || request.method == "HEAD" else { return nil }
    var response: Response
    switch request.path {
    case configuration.healthPath: response = .json("{\"status\":\"ok\"}")
    case configuration.metricsPath:
      response = Response(
        status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
        text: metrics.exposition())
    default: return nil
    }
    response.route = request.path
    return response
  }

  /// Hands `response` to libmicrohttpd. A response it cannot take (a status outside 100...599,
  /// a header with a line break) becomes a 500, never a half-sent answer.
  func answer(_ response: Response, _ exchange: Exchange, _ connection: OpaquePointer)
    -> MHD_Result
  {
    var response = response
    guard (100...599).contains(response.status) else {
      exchange.internalError = "the handler answered status \(response.status)"
      return answer(.error(.internalError(requestID: exchange.id)), exchange, connection)
    }
    guard let mhdResponse = makeMHDResponse(response, exchange) else {
      exchange.internalError = "a response header contains a line break or NUL"
      response = .error(.internalError(requestID: exchange.id))
      guard let fallback = makeMHDResponse(response, exchange) else { return .NO }
      return queue(fallback, response, exchange, connection)
    }
    return queue(mhdResponse, response, exchange, connection)
  }

  private func queue(
    _ mhdResponse: OpaquePointer, _ response: Response, _ exchange: Exchange,
    _ connection: OpaquePointer
  ) -> MHD_Result {
    defer { MHD_destroy_response(mhdResponse) }
    exchange.answered = true
    exchange.status = response.status
    exchange.bytesSent = response.body.count
    exchange.route = response.route ?? exchange.route
    exchange.user = response.user
    return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
  }

  private func makeMHDResponse(_ response: Response, _ exchange: Exchange) -> OpaquePointer? {
    let created = response.body.withUnsafeBytes { bytes in
      MHD_create_response_from_buffer(
        bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
    }
    guard let mhdResponse = created else { return nil }
    var headers = response.headers
    headers.set("X-Request-Id", exchange.id)
    if draining.load(ordering: .acquiring) { headers.set("Connection", "close") }
    for header in headers
    where MHD_add_response_header(mhdResponse, header.name, header.value) != .YES {
      MHD_destroy_response(mhdResponse)
      return nil
    }
    return mhdResponse
  }

  /// The request is over (sent, failed or abandoned): release its slots, count and log it.
  func complete(_ exchange: Exchange) {
    if exchange.holdsUploadSlot {
      metrics.uploadsInFlight.subtract(1, ordering: .relaxed)
    }
    metrics.requestsInFlight.subtract(1, ordering: .releasing)
    if exchange.status != 0 {
      metrics.record(
        route: exchange.route, method: exchange.method, status: exchange.status,
        durationMicroseconds: exchange.elapsedMicroseconds)
    }
    if accessLog.isEnabled { accessLog.write(line: exchange.accessLogEntry().jsonLine) }
  }

  /// Request line plus header fields as they were on the wire (name, ": ", value, CRLF).
  private func headerBytes(_ exchange: Exchange) -> Int {
    let requestLine = exchange.method.utf8.count + exchange.rawPath.utf8.count + 12
    return exchange.headers.reduce(requestLine) {
      $0 + $1.name.utf8.count + $1.value.utf8.count + 4
    }
  }
}

extension String {
  fileprivate var trimmingSpaces: Substring {
    let trimmed = drop { $0 == " " || $0 == "\t" }
    return trimmed.dropLast(trimmed.reversed().prefix { $0 == " " || $0 == "\t" }.count)
  }
}
