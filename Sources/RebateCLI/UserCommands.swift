import HTTPServer
import PostgresClient
import RebateAPI

extension CLI {
  static let userCommands: [Command] = [addUser, listUsers, revokeToken]

  /// Who a command-line change is recorded as in the audit log.
  static func cliActor(_ context: Context) -> String {
    "cli:" + (context.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")
  }

  static let addUser = Command(
    ["users", "add"],
    usage:
      "rebate users add --name N --role dealer|sales|finance|auditor|admin [--dealer D] [--label L]",
    summary: "create a user (or add a token to one) and print its API token once"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let name = try arguments.requiredIdentifier("name")
    let roleText = try arguments.required("role")
    let dealer = try arguments.identifier("dealer")
    let label = try arguments.option("label") ?? ""
    try arguments.finish()
    guard let role = Role(rawValue: roleText) else {
      throw CLIError.usage(
        "--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let connection = try Connection(url)
    defer { connection.close() }
    do {
      let token = try UserDirectory.addUser(
        name: name, role: role, dealerCode: dealer, label: label, by: cliActor(context),
        on: connection)
      context.console.print(token)
      context.console.error(
        "token for \(name) (\(role.rawValue)\(dealer.map { ", dealer \($0)" } ?? "")): "
          + "shown once, stored only as its SHA-256 hash")
      return 0
    } catch let error as UserError {
      throw CLIError(code: error.code, describing: error.description)
    } catch let error as HTTPError {
      throw CLIError(code: "E-API-USER", message: error.message)
    }
  }

  static let listUsers = Command(
    ["users", "list"], usage: "rebate users list",
    summary: "list users, roles, dealers and their active token ids"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    try arguments.finish()
    let connection = try Connection(url)
    defer { connection.close() }
    for user in try UserDirectory.list(on: connection) {
      let dealer = user.dealerCode.map { " dealer=\($0)" } ?? ""
      let tokens = user.activeTokenIDs.isEmpty ? "-" : user.activeTokenIDs.joined(separator: ",")
      context.console.print(
        "\(user.userName) role=\(user.role.rawValue)\(dealer)\(user.disabled ? " disabled" : "")"
          + " tokens=\(tokens) revoked=\(user.revokedTokenCount)")
    }
    return 0
  }

  static let revokeToken = Command(
    ["users", "revoke"], usage: "rebate users revoke --token-id ID",
    summary: "revoke one API token (ids from 'rebate users list')"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let tokenID = try arguments.required("token-id")
    try arguments.finish()
    let connection = try Connection(url)
    defer { connection.close() }
    do {
      let user = try UserDirectory.revoke(
        tokenID: tokenID, by: cliActor(context), on: connection)
      context.console.print("revoked token \(tokenID) of \(user)")
      return 0
    } catch let error as UserError {
      throw CLIError(code: error.code, describing: error.description)
    }
  }
}
