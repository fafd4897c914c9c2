import Foundation
import HTTPServer
import RebateAPI
import Testing

/// docs/openapi.yaml and the served routes are the same set, and the roles it documents are the
/// roles the router enforces.
@Suite("OpenAPI parity")
struct OpenAPIParityTests {
  struct Operation: Hashable {
    let method: String
    let path: String
  }

  /// Operations and their `x-roles` from the document's fixed layout (paths at two spaces,
  /// methods at four, operation keys at six).
  static func documented() throws -> [Operation: String] {
    let text = try String(
      contentsOf: APIFixture.repositoryRoot.appendingPathComponent("docs/openapi.yaml"),
      encoding: .utf8)
    var operations: [Operation: String] = [:]
    var path: String?
    var current: Operation?
    var inPaths = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line == "paths:" { inPaths = true; continue }
      guard inPaths else { continue }
      if line.hasPrefix("  /") && line.hasSuffix(":") && !line.hasPrefix("   ") {
        path = String(line.dropFirst(2).dropLast())
      } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
        ["get", "post", "put", "delete"].contains(
          line.trimmingCharacters(in: .whitespaces).dropLast())
      {
        current = Operation(
          method: String(line.trimmingCharacters(in: .whitespaces).dropLast()).uppercased(),
          path: path)
        operations[current!] = ""
      } else if let operation = current, line.hasPrefix("      x-roles: ") {
        operations[operation] = String(line.dropFirst("      x-roles: ".count))
      }
    }
    return operations
  }

  @Test func everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws {
    let documented = Set(try Self.documented().keys)
    let router = RebateApplication.router(
      services: APIServices(pool: .init(conninfo: "dbname=unused", capacity: 1), now: { "" }),
      authenticator: Authenticator(verifier: NoTokens()))
    let server = Server(configuration: ServerConfiguration(), handler: router.handler)
    let served = Set(
      (router.routes + server.builtInRoutes).map { Operation(method: $0.method, path: $0.pattern) })
    #expect(served.count == RebateApplication.rules.count + 2)
    #expect(
      served.subtracting(documented).isEmpty,
      "served, not documented: \(served.subtracting(documented))")
    #expect(
      documented.subtracting(served).isEmpty,
      "documented, not served: \(documented.subtracting(served))")
  }

  @Test func documentedRolesAreTheEnforcedRoles() throws {
    let documented = try Self.documented()
    for rule in RebateApplication.rules {
      let expected =
        rule.roles.map { roles in
          "[" + Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ") + "]"
        } ?? "public"
      #expect(
        documented[Operation(method: rule.method, path: rule.pattern)] == expected,
        "\(rule): x-roles should be \(expected)")
    }
  }
}

struct NoTokens: TokenVerifier {
  func principal(forTokenHash hash: String) throws -> Principal? { nil }
}
