import HTTPServer
import RebateCore

/// What a handler gets: the request, the authenticated user (nil on public routes) and the
/// shared services.
struct Call {
  let request: Request
  let principal: Principal?
  let services: APIServices

  /// The authenticated user; only public routes have none, and they never ask.
  var user: Principal {
    guard let principal else { preconditionFailure("a public route asked for its user") }
    return principal
  }

  /// The `{dealer}` segment (the router already checked the user may see it).
  var dealer: String { request.parameter("dealer") ?? "" }

  var query: RequestFields { RequestFields(query: request) }
}

/// A route: its access rule and its handler.
struct APIRoute: Sendable {
  let rule: RouteRule
  let handler: @Sendable (Call) throws -> Response
}

/// The engine's HTTP surface: the JSON API and the portal pages, each route checked against its
/// `RouteRule` before its handler runs.
public enum RebateApplication {
  static var routes: [APIRoute] {
    APIHandlers.routes + SellOutHandlers.routes + FinanceHandlers.routes + PortalHandlers.routes
      + PortalFinance.routes
  }

  /// Every route's access rule, in registration order.
  public static var rules: [RouteRule] { routes.map(\.rule) }

  public static func router(services: APIServices, authenticator: Authenticator) -> Router {
    var router = Router()
    for route in routes {
      router.add(route.rule.method, route.rule.pattern) { request in
        try dispatch(route, request, services: services, authenticator: authenticator)
      }
    }
    return router
  }

  static func dispatch(
    _ route: APIRoute, _ request: Request, services: APIServices, authenticator: Authenticator
  ) throws -> Response {
    let rule = route.rule
    let isPage = rule.pattern == "/" || rule.pattern.hasPrefix("/portal")
    var principal: Principal?
    var response: Response
    do {
      if let roles = rule.roles {
        let user = try authenticator.authenticate(request)
        principal = user
        try user.require(roles)
        if rule.scope == .pathDealer {
          try user.requireAccess(toDealer: request.parameter("dealer") ?? "")
        }
        if rule.method != "GET" { try refuseCrossSite(request) }
      }
      try checkPathAndQuery(request)
      if request.query.contains(where: { !rule.query.contains($0.name) }) {
        let unknown = Set(request.query.map(\.name)).subtracting(rule.query).sorted()
        throw APIError.unknownQuery(unknown, allowed: rule.query)
      }
      response = try route.handler(Call(request: request, principal: principal, services: services))
    } catch let error as HTTPError {
      response = isPage ? PortalPage.errorPage(error) : .error(error)
    }
    // The access log names who was refused too, not only who succeeded.
    response.user = response.user ?? principal?.userName
    return response
  }

  /// Path segments and query values become SQL parameters and log lines: none may hold a
  /// control character (a NUL would be cut by libpq), and the `{dealer}` segment must be a code
  /// of the identifier grammar, checked before the access rule compares it byte by byte.
  static func checkPathAndQuery(_ request: Request) throws {
    for (name, value) in request.pathParameters.sorted(by: { $0.key < $1.key }) {
      if let error = APIError.controlCharacter(name, value) { throw error }
    }
    for item in request.query {
      if let error = APIError.controlCharacter(item.name, item.value) { throw error }
    }
    if let dealer = request.parameter("dealer") {
      _ = try RequestFields.checkedIdentifier(dealer, field: "dealer")
    }
  }

  /// A browser sends `Origin` on cross-site form posts; a change must come from our own pages.
  /// (The portal's cookie is also `SameSite=Strict`; this is the second lock.)
  static func refuseCrossSite(_ request: Request) throws {
    guard let origin = request.headers["Origin"] else { return }
    let host = request.headers["Host"] ?? ""
    guard origin == "http://\(host)" || origin == "https://\(host)" else {
      throw HTTPError.forbidden(
        "a change must come from this server's own pages (Origin \(Identifier.printable(origin)))")
    }
  }
}
