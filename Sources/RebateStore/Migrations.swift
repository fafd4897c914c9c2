import Foundation
import PostgresClient
import RebateCore

/// One numbered schema file, `schema/NNN_name.sql`.
public struct Migration: Sendable, Equatable {
  public let number: Int
  public let fileName: String
  public let sql: String
  public var checksum: String { SHA256.hex(sql) }

  public init(number: Int, fileName: String, sql: String) {
    self.number = number
    self.fileName = fileName
    self.sql = sql
  }
}

/// What `migrate` did: files applied now, and files that were already applied unchanged.
public struct MigrationReport: Sendable, Equatable {
  public let applied: [String]
  public let unchanged: [String]
}

/// Applies numbered SQL files in order, each in its own transaction, and records each in
/// `schema_migrations` with its SHA-256. Re-running is a no-op; an applied file that was edited
/// since is refused before anything runs.
public enum Migrations {
  /// Bounds the folder scan; a schema is a few dozen files, never thousands.
  public static let maxFiles = 999
  /// Serialises concurrent `migrate` runs on one database (any stable 64-bit number).
  static let advisoryLockKey = "7071202611220001"

  /// Reads `NNN_*.sql` from `directory`, sorted by number.
  public static func load(from directory: String) throws -> [Migration] {
    // Checked one by one so the message names the path and a plain reason, not Foundation's
    // error dump (`rebate db migrate --schema DIR` with a mistyped DIR is a common slip).
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
      throw StoreError.schemaMissing("schema folder \(directory): no such folder")
    }
    guard isFolder.boolValue else {
      throw StoreError.schemaMissing("schema folder \(directory): not a folder")
    }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      throw StoreError.schemaMissing(
        "schema folder \(directory): cannot be listed; check its permissions")
    }
    let sqlNames = names.filter { $0.hasSuffix(".sql") }.sorted()
    guard sqlNames.count <= maxFiles else {
      throw StoreError.schemaMissing("\(directory) has more than \(maxFiles) .sql files")
    }
    var migrations: [Migration] = []
    for name in sqlNames {
      let digits = name.prefix { $0.isASCII && $0.isNumber }
      guard digits.count == 3, name.dropFirst(3).first == "_", let number = Int(digits) else {
        throw StoreError.migrationName(file: name, reason: "expected NNN_name.sql")
      }
      if let earlier = migrations.last, earlier.number == number {
        throw StoreError.migrationName(
          file: name, reason: "number \(digits) is also used by \(earlier.fileName)")
      }
      let path = (directory as NSString).appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: path),
        let sql = String(data: data, encoding: .utf8)
      else { throw StoreError.schemaMissing("cannot read \(path) as UTF-8") }
      migrations.append(Migration(number: number, fileName: name, sql: sql))
    }
    guard !migrations.isEmpty else {
      throw StoreError.schemaMissing("no NNN_name.sql files in \(directory)")
    }
    return migrations
  }

  public static func migrate(_ migrations: [Migration], on connection: Connection) throws
    -> MigrationReport
  {
    // A session lock: a concurrent `migrate` waits, then finds everything applied.
    try connection.query(
      "SELECT pg_advisory_lock($1::bigint)", [advisoryLockKey], purpose: "lock migrations")
    defer {
      // Closing the connection releases the lock too, so a failed unlock loses nothing.
      _ = try? connection.query(
        "SELECT pg_advisory_unlock($1::bigint)", [advisoryLockKey], purpose: "unlock migrations")
    }
    try connection.execute(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        file_name text PRIMARY KEY, number integer NOT NULL UNIQUE,
        checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
      """, purpose: "create schema_migrations")
    let applied = try appliedChecksums(connection)
    try verify(migrations, against: applied)
    var appliedNow: [String] = []
    var unchanged: [String] = []
    for migration in migrations {
      if applied[migration.fileName] != nil {
        unchanged.append(migration.fileName)
      } else {
        try apply(migration, on: connection)
        appliedNow.append(migration.fileName)
      }
    }
    return MigrationReport(applied: appliedNow, unchanged: unchanged)
  }

  private static func appliedChecksums(_ connection: Connection) throws -> [String: String] {
    let rows = try connection.query(
      "SELECT file_name, checksum FROM schema_migrations ORDER BY number",
      purpose: "read schema_migrations")
    var applied: [String: String] = [:]
    for row in rows.rows { applied[try row.string("file_name")] = try row.string("checksum") }
    return applied
  }

  private static func verify(_ migrations: [Migration], against applied: [String: String]) throws {
    let known = Set(migrations.map(\.fileName))
    if let unknown = applied.keys.sorted().first(where: { !known.contains($0) }) {
      throw StoreError.migrationUnknown(file: unknown)
    }
    for migration in migrations {
      if let checksum = applied[migration.fileName], checksum != migration.checksum {
        throw StoreError.migrationEdited(
          file: migration.fileName, applied: checksum, now: migration.checksum)
      }
    }
  }

  /// Each file in its own transaction: a failing file names itself and leaves nothing of itself
  /// behind, while the files before it stay applied.
  private static func apply(_ migration: Migration, on connection: Connection) throws {
    try connection.transaction(purpose: "apply \(migration.fileName)") { connection in
      try connection.executeScript(migration.sql, purpose: "apply \(migration.fileName)")
      try connection.execute(
        "INSERT INTO schema_migrations (file_name, number, checksum) VALUES ($1, $2, $3)",
        [migration.fileName, String(migration.number), migration.checksum],
        purpose: "record \(migration.fileName)")
    }
  }

  /// Where `schema/` is: `--schema DIR`, else `REBATE_SCHEMA_DIR`, else the first `schema`
  /// folder with a `001_*.sql` found walking up from the executable, then from the working
  /// directory (a checkout's `.build/debug/rebate` finds the checkout's `schema/`).
  public static func locateSchema(explicit: String?, environment: [String: String]) throws
    -> String
  {
    if let explicit { return explicit }
    if let fromEnvironment = environment["REBATE_SCHEMA_DIR"], !fromEnvironment.isEmpty {
      return fromEnvironment
    }
    let executable = (Bundle.main.executablePath ?? CommandLine.arguments[0]) as NSString
    let starts = [
      executable.resolvingSymlinksInPath, FileManager.default.currentDirectoryPath,
    ]
    for start in starts {
      var folder = start as NSString
      for _ in 0..<8 {
        let candidate = folder.appendingPathComponent("schema")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: candidate),
          names.contains(where: { $0.hasPrefix("001_") && $0.hasSuffix(".sql") })
        {
          return candidate
        }
        let parent = folder.deletingLastPathComponent
        if parent == folder as String { break }
        folder = parent as NSString
      }
    }
    throw StoreError.schemaMissing(
      "no schema folder found near the executable or the working directory; "
        + "pass --schema DIR or set REBATE_SCHEMA_DIR")
  }
}
