import Foundation
import HTTPServer
import PostgresClient
import RebateAPI
import RebateStore
import Synchronization

/// A real server on a real PostgreSQL: a throwaway database (created from the admin
/// DATABASE_URL, migrated, seeded) and `RebateApplication` served on a kernel-chosen port.
/// Seed: dealers D-01…D-50 (D-02 "Beta Secret Trading" is the one a D-01 user must never see),
/// SKU-1 (Power tools, list 10,000.00, cost 6,900.00: E1/E3), the standard policy, terms for
/// every dealer, one invoice and payment of D-01 in 2026-Q3, and one user per role.
final class APIFixture: @unchecked Sendable {
  static let dealerCount = 50
  static let ownDealer = "D-01"
  static let otherDealer = "D-02"
  static let otherDealerName = "Beta Secret Trading"

  let databaseName: String
  let conninfo: String
  let server: Server
  let services: APIServices
  let client: HTTPClient
  /// A token per role (the dealer user is bound to D-01), plus a second sales user who issues
  /// terms others approve.
  let tokens: [Role: String]
  let issuerToken: String
  private let adminURL: String
  let accessLog = CapturedAccessLog()

  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  init(
    now: @escaping @Sendable () -> String = { "2026-08-20T09:00:00.000Z" },
    cacheMilliseconds: Int = 0
  ) throws {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
      throw ClientError(
        "DATABASE_URL is not set: run `make test`, or export DATABASE_URL=$(scripts/pg.sh start .pg-x rebate_x)"
      )
    }
    adminURL = url
    databaseName = "rebate_api_\(getpid())_\(UInt64.random(in: 0...UInt64.max))"
    let admin = try Connection(url)
    defer { admin.close() }
    try admin.execute("CREATE DATABASE \(databaseName)", purpose: "create test database")
    conninfo = try ConnectionString.replacingDatabase(url, with: databaseName)
    let connection = try Connection(conninfo)
    defer { connection.close() }
    _ = try Migrations.migrate(
      try Migrations.load(from: Self.repositoryRoot.appendingPathComponent("schema").path),
      on: connection)
    try Self.seed(connection)
    var tokens: [Role: String] = [:]
    for role in Role.allCases {
      tokens[role] = try UserDirectory.addUser(
        name: "\(role.rawValue)-user", role: role,
        dealerCode: role == .dealer ? Self.ownDealer : nil, label: "test", by: "test",
        on: connection, now: now)
    }
    self.tokens = tokens
    issuerToken = try UserDirectory.addUser(
      name: "issuer", role: .sales, dealerCode: nil, label: "", by: "test", on: connection, now: now
    )
    _ = try UserDirectory.addUser(
      name: "other-dealer-user", role: .dealer, dealerCode: Self.otherDealer, label: "", by: "test",
      on: connection, now: now)
    let threads = 4
    services = APIServices(
      pool: ConnectionPool(conninfo: conninfo, capacity: threads), now: now,
      cacheMilliseconds: cacheMilliseconds)
    let policy = try String(
      contentsOf: Self.repositoryRoot.appendingPathComponent("policies/standard-2026.toml"),
      encoding: .utf8)
    let router = RebateApplication.router(
      services: services,
      authenticator: Authenticator(verifier: PostgresTokenVerifier(services: services)))
    server = Server(
      configuration: ServerConfiguration(host: "127.0.0.1", port: 0, threadCount: threads),
      accessLog: accessLog, handler: router.handler)
    try server.start()
    client = HTTPClient(port: server.port)
    try loadPolicyAndTerms(policy)
  }

  func token(_ role: Role) -> String { tokens[role]! }

  /// The policy through the API (admin), then terms for every dealer (sales).
  private func loadPolicyAndTerms(_ policy: String) throws {
    let loaded = try client.send(
      "POST", "/api/policies", token: token(.admin), body: Array(policy.utf8))
    guard loaded.status == 201 else {
      throw ClientError("policy load: \(loaded.status) \(loaded.text)")
    }
    for index in 1...Self.dealerCount {
      let dealer = Self.dealerCode(index)
      let reply = try client.postJSON(
        "/api/dealers/\(dealer)/terms", token: issuerToken,
        "{\"policy\":\"standard-2026\",\"tier\":\"\(index == 2 ? "Silver" : "Gold")\",\"effective_from\":\"2026-01-01\"}"
      )
      guard reply.status == 201 else { throw ClientError("terms of \(dealer): \(reply.text)") }
    }
  }

  static func dealerCode(_ index: Int) -> String { index < 10 ? "D-0\(index)" : "D-\(index)" }

  static func seed(_ connection: Connection) throws {
    for index in 1...dealerCount {
      try connection.execute(
        "INSERT INTO dealers VALUES ($1, $2, 'Gold', 'Retail', 'North', 'active')",
        [dealerCode(index), index == 2 ? otherDealerName : "Dealer \(index)"],
        purpose: "seed dealer")
    }
    try connection.executeScript(
      """
      INSERT INTO products VALUES ('SKU-1', 'Cordless drill', 'Power tools', 'Acme', 690000),
        ('SKU-2', 'Saw blade', 'Accessories', 'Acme', 1000);
      INSERT INTO price_list VALUES ('SKU-1', '2026-01-01', 1000000), ('SKU-2', '2026-01-01', 5000);
      INSERT INTO invoices VALUES ('D-01', 'INV-1', 'invoice', '2026-07-01', '2026-07-31', 20, NULL, 'x');
      INSERT INTO invoice_lines VALUES ('D-01', 'INV-1', 1, 'SKU-1', 200, 1000000, 724500, 144900000);
      INSERT INTO invoices VALUES ('D-02', 'INV-2', 'invoice', '2026-07-01', '2026-07-31', 20, NULL, 'y');
      INSERT INTO invoice_lines VALUES ('D-02', 'INV-2', 1, 'SKU-2', 10, 5000, 4000, 40000);
      INSERT INTO payments VALUES ('D-01', 'PAY-1', '2026-07-08', 173880000, 'INV-1');
      """, purpose: "seed documents")
  }

  func stop() {
    server.shutdown()
    if let admin = try? Connection(adminURL) {
      _ = try? admin.execute(
        "DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)", purpose: "drop test database")
      admin.close()
    }
  }

  func query(_ sql: String) throws -> [[String: String]] {
    let connection = try Connection(conninfo)
    defer { connection.close() }
    let result = try connection.query(sql, purpose: "test query")
    return try result.rows.map { row in
      var values: [String: String] = [:]
      for name in result.columnNames { values[name] = try row.optionalString(name) ?? "NULL" }
      return values
    }
  }

  /// A multipart/form-data body as a browser sends it.
  static func multipart(fields: [(String, String)], fileName: String, file: [UInt8]) -> (
    String, [UInt8]
  ) {
    let boundary = "----rebate\(UInt32.random(in: 0...UInt32.max))"
    var body: [UInt8] = []
    for (name, value) in fields {
      body += Array(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8
      )
    }
    body += Array(
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n"
        .utf8)
    body += file + Array("\r\n--\(boundary)--\r\n".utf8)
    return ("multipart/form-data; boundary=\(boundary)", body)
  }
}

/// Access-log lines kept in memory.
final class CapturedAccessLog: AccessLogSink {
  private let lines = Mutex<[String]>([])
  func write(line: String) { lines.withLock { $0.append(line) } }
  var all: [String] { lines.withLock { $0 } }
}
