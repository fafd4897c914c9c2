import Foundation
import PostgresClient
import RebateStore
import Testing

/// A throwaway database per test: created from the admin DATABASE_URL with a unique name,
/// migrated, and dropped afterwards, so tests run in parallel without touching anything else.
struct TestDatabase {
  let name: String
  /// A `key=value` connection string for this database (also what `--database` gets).
  let conninfo: String

  func connect() throws -> Connection { try Connection(conninfo) }

  static var schemaFolder: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("schema").path
  }

  static func adminURL() throws -> String {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
      throw HarnessError(
        "DATABASE_URL is not set: the integration tests need a PostgreSQL they may create "
          + "databases in. Run `make test`, or `export DATABASE_URL=$(scripts/pg.sh start "
          + ".pg-x rebate_x)` first.")
    }
    return url
  }

  /// Runs `body` with a fresh database (migrated unless `migrated` is false), then drops it.
  static func with<T>(migrated: Bool = true, _ body: (TestDatabase) throws -> T) throws -> T {
    let admin = try Connection(try adminURL())
    defer { admin.close() }
    let name = "rebate_it_\(getpid())_\(UInt64.random(in: 0...UInt64.max))"
    try admin.execute("CREATE DATABASE \(name)", purpose: "create test database")
    defer {
      _ = try? admin.execute(
        "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", purpose: "drop test database")
    }
    let database = TestDatabase(
      name: name, conninfo: try ConnectionString.replacingDatabase(try adminURL(), with: name))
    if migrated {
      let connection = try database.connect()
      defer { connection.close() }
      _ = try Migrations.migrate(try Migrations.load(from: schemaFolder), on: connection)
    }
    return try body(database)
  }

  /// Counts and content checksums of every table, to prove a refused import changed nothing.
  static func fingerprint(_ connection: Connection) throws -> [String: String] {
    let tables = try connection.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      purpose: "list tables")
    var result: [String: String] = [:]
    for row in tables.rows {
      let table = try row.string("tablename")
      let summary = try connection.query(
        "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-')"
          + " AS fingerprint FROM \(table) t", purpose: "fingerprint \(table)")
      result[table] = try summary[0].string("fingerprint")
    }
    return result
  }
}

struct HarnessError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// Writes `text` to a fresh temporary file named `name` and returns its path.
func temporaryFile(_ name: String, _ text: String) throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "rebate-it-\(UInt64.random(in: 0...UInt64.max))")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let path = folder.appendingPathComponent(name).path
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  return path
}
