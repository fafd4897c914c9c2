import HTTPServer

/// How a route reaches a dealer's data, which decides what a dealer user may do with it.
public enum DealerScope: String, Sendable, Hashable, CaseIterable {
  /// The route shows no dealer's data.
  case none
  /// The dealer is the `{dealer}` path segment: a dealer user may name only its own.
  case pathDealer
  /// A listing over dealers: a dealer user gets its own rows only.
  case ownRows
}

/// Who may call a route, as data: the router enforces it before any handler runs, and the
/// every-route-every-role test is generated from the same table.
public struct RouteRule: Sendable, Hashable, CustomStringConvertible {
  public let method: String
  public let pattern: String
  /// nil: a public route (the portal's sign-in page); otherwise the roles allowed.
  public let roles: Set<Role>?
  public let scope: DealerScope
  /// The query parameters the route reads; any other is refused with 400, so a dealer id slipped
  /// into the query can never widen what a route shows.
  public let query: [String]
  /// Whether the route changes data (and therefore writes an audit entry).
  public let changesData: Bool
  public let summary: String

  public init(
    _ method: String, _ pattern: String, roles: Set<Role>?, scope: DealerScope = .none,
    query: [String] = [], changesData: Bool = false, summary: String
  ) {
    precondition(
      scope == .none || roles != nil, "a public route cannot show dealer data (\(pattern))")
    precondition(
      scope != .pathDealer || pattern.contains("{dealer}"), "\(pattern) has no {dealer} segment")
    precondition(
      !changesData || !(roles ?? []).contains(.auditor), "auditors change nothing (\(pattern))")
    self.method = method
    self.pattern = pattern
    self.roles = roles
    self.scope = scope
    self.query = query
    self.changesData = changesData
    self.summary = summary
  }

  public var description: String { "\(method) \(pattern)" }

  /// Whether `role` passes the role check (public routes admit everyone).
  public func admits(_ role: Role) -> Bool { roles?.contains(role) ?? true }
}

/// Role sets the table uses.
extension Set where Element == Role {
  static let everyone = Set(Role.allCases)
  static let staff = Set(Role.allCases).subtracting([.dealer])
}
