/// A request handler: runs on a worker thread, returns the whole response.
public typealias Handler = @Sendable (Request) throws -> Response

/// A route as listed by `Router.routes`: what a later check compares with docs/openapi.yaml.
public struct RouteDescription: Sendable, Equatable, Hashable, CustomStringConvertible {
  public let method: String
  public let pattern: String

  public init(method: String, pattern: String) {
    self.method = method
    self.pattern = pattern
  }

  public var description: String { "\(method) \(pattern)" }
}

/// Method + path-pattern routing. A pattern is literal segments and `{name}` placeholders:
/// `/api/dealers/{dealer}/statements/{period}`. Where several patterns match, literal segments
/// win over placeholders from left to right (`/api/dealers/me` beats `/api/dealers/{dealer}`).
/// A known path with the wrong method gets 405 with `Allow`; anything else gets 404.
public struct Router: Sendable {
  /// Routes are few and fixed at start; the limit catches a registration loop.
  public static let maxRoutes = 1024
  public static let unmatchedRouteLabel = "unmatched"

  private var entries: [Entry] = []

  public init() {}

  /// Adds a route; a duplicate method+pattern or a malformed pattern is a programming error.
  public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
    let segments = Self.parse(pattern)
    let normalizedMethod = method.uppercased()
    precondition(entries.count < Self.maxRoutes, "more than \(Self.maxRoutes) routes")
    precondition(
      !entries.contains { $0.method == normalizedMethod && $0.shape == Self.shape(segments) },
      "route \(normalizedMethod) \(pattern) conflicts with an existing route")
    entries.append(
      Entry(method: normalizedMethod, pattern: pattern, segments: segments, handler: handler))
  }

  public mutating func get(_ pattern: String, _ handler: @escaping Handler) {
    add("GET", pattern, handler)
  }

  public mutating func post(_ pattern: String, _ handler: @escaping Handler) {
    add("POST", pattern, handler)
  }

  public mutating func put(_ pattern: String, _ handler: @escaping Handler) {
    add("PUT", pattern, handler)
  }

  public mutating func delete(_ pattern: String, _ handler: @escaping Handler) {
    add("DELETE", pattern, handler)
  }

  /// Every route in registration order.
  public var routes: [RouteDescription] {
    entries.map { RouteDescription(method: $0.method, pattern: $0.pattern) }
  }

  /// Dispatches `request`; the response carries the matched pattern as its `route`.
  public func handle(_ request: Request) throws -> Response {
    let path = request.pathSegments
    let method = request.method == "HEAD" ? "GET" : request.method
    // One pass without building anything: the parameters are read for the chosen route only.
    var chosen: Entry?
    var pathIsKnown = false
    for entry in entries where entry.matches(path) {
      pathIsKnown = true
      if entry.method == method && chosen.map({ Self.lessSpecific($0, entry) }) ?? true {
        chosen = entry
      }
    }
    guard pathIsKnown else { throw HTTPError.notFound(path: request.path) }
    guard let entry = chosen else {
      var allowed = Set(entries.filter { $0.matches(path) }.map(\.method))
      if allowed.contains("GET") { allowed.insert("HEAD") }
      throw HTTPError.methodNotAllowed(
        method: request.method, path: request.path, allowed: allowed.sorted())
    }
    var routed = request
    routed.pathParameters = entry.parameters(path)
    var response: Response
    do {
      response = try entry.handler(routed)
    } catch let error as HTTPError {
      response = .error(error)
    } catch {
      throw RouteFailure(route: entry.pattern, underlying: error)
    }
    response.route = entry.pattern
    return response
  }

  /// A handler for `Server` that answers router errors as JSON and labels unmatched requests.
  public var handler: Handler {
    let router = self
    return { request in
      do {
        return try router.handle(request)
      } catch let error as HTTPError where error.status == 404 || error.status == 405 {
        var response = Response.error(error)
        response.route = Self.unmatchedRouteLabel
        return response
      }
    }
  }

  /// A handler failed with an error that is not an `HTTPError`: the server answers 500 and still
  /// counts the request under its route.
  struct RouteFailure: Error {
    let route: String
    let underlying: any Error
  }

  enum Segment: Sendable, Equatable {
    case literal(String)
    case parameter(String)
  }

  private struct Entry: Sendable {
    let method: String
    let pattern: String
    let segments: [Segment]
    let handler: Handler

    var shape: [String?] { Router.shape(segments) }

    func matches(_ path: [String]) -> Bool {
      path.count == segments.count
        && zip(segments, path).allSatisfy { segment, value in
          switch segment {
          case .literal(let text): return text == value
          case .parameter: return !value.isEmpty
          }
        }
    }

    /// The placeholders' values in `path`, which `matches`.
    func parameters(_ path: [String]) -> [String: String] {
      var parameters: [String: String] = [:]
      for case (.parameter(let name), let value) in zip(segments, path) {
        parameters[name] = value
      }
      return parameters
    }
  }

  /// Literal segments keep their text, placeholders become nil: two patterns with one shape
  /// would match exactly the same paths.
  private static func shape(_ segments: [Segment]) -> [String?] {
    segments.map {
      if case .literal(let text) = $0 { return text }
      return nil
    }
  }

  private static func lessSpecific(_ lhs: Entry, _ rhs: Entry) -> Bool {
    for (left, right) in zip(lhs.segments, rhs.segments) {
      switch (left, right) {
      case (.parameter, .literal): return true
      case (.literal, .parameter): return false
      default: continue
      }
    }
    return false
  }

  static func parse(_ pattern: String) -> [Segment] {
    precondition(pattern.hasPrefix("/"), "route pattern '\(pattern)' must start with /")
    if pattern == "/" { return [] }
    var names = Set<String>()
    return pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
      raw in
      precondition(!raw.isEmpty, "route pattern '\(pattern)' has an empty segment")
      guard raw.hasPrefix("{") else {
        precondition(!raw.contains("{") && !raw.contains("}"), "bad segment in '\(pattern)'")
        return .literal(String(raw))
      }
      precondition(raw.hasSuffix("}") && raw.count > 2, "bad placeholder in '\(pattern)'")
      let name = String(raw.dropFirst().dropLast())
      precondition(names.insert(name).inserted, "placeholder {\(name)} twice in '\(pattern)'")
      return .parameter(name)
    }
  }
}
