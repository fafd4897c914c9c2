import Foundation
import PostgresClient
import RebateStore
import Testing

@Suite("Schema migrations")
struct MigrationTests {
  @Test("applies every file once; re-running is a no-op")
  func applyAndRerun() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      let migrations = try Migrations.load(from: TestDatabase.schemaFolder)
      #expect(migrations.map(\.number) == migrations.map(\.number).sorted())
      #expect(Set(migrations.map(\.number)).count == migrations.count)
      #expect(migrations.first?.fileName == "001_master_data.sql")
      let first = try Migrations.migrate(migrations, on: connection)
      #expect(first.applied == migrations.map(\.fileName))
      #expect(first.unchanged.isEmpty)
      let before = try TestDatabase.fingerprint(connection)
      let second = try Migrations.migrate(migrations, on: connection)
      #expect(second.applied.isEmpty)
      #expect(second.unchanged == migrations.map(\.fileName))
      #expect(try TestDatabase.fingerprint(connection) == before)
      let recorded = try connection.query(
        "SELECT file_name, checksum FROM schema_migrations ORDER BY number", purpose: "read")
      #expect(try recorded.rows.map { try $0.string("checksum") } == migrations.map(\.checksum))
      #expect(migrations[0].checksum.count == 64)
    }
  }

  @Test("an applied migration that was edited is refused, naming the file")
  func editedMigrationRefused() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      var migrations = try Migrations.load(from: TestDatabase.schemaFolder)
      let edited = migrations[1]
      migrations[1] = Migration(
        number: edited.number, fileName: edited.fileName, sql: edited.sql + "\n-- tweak\n")
      #expect {
        try Migrations.migrate(migrations, on: connection)
      } throws: { error in
        guard let error = error as? StoreError, case .migrationEdited(let file, _, _) = error
        else { return false }
        return file == edited.fileName && error.description.contains(edited.fileName)
          && error.code == "E-DB-MIGRATION-EDITED"
      }
    }
  }

  @Test("a failing new migration leaves earlier ones applied and itself unrecorded")
  func failingMigration() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      let migrations = try Migrations.load(from: TestDatabase.schemaFolder)
      let broken = Migration(
        number: 999, fileName: "999_broken.sql",
        sql: "CREATE TABLE half_done (id int);\nSELECT no_such_column FROM dealers;")
      #expect {
        try Migrations.migrate(migrations + [broken], on: connection)
      } throws: { error in
        (error as? PostgresError)?.purpose == "apply 999_broken.sql"
      }
      let leftovers = try connection.query(
        "SELECT to_regclass('half_done') IS NULL AS gone, "
          + "(SELECT count(*) FROM schema_migrations) AS applied", purpose: "inspect")
      #expect(try leftovers[0].bool("gone"))
      #expect(try leftovers[0].int("applied") == migrations.count)
    }
  }

  @Test("rebate db migrate through the command line")
  func commandLine() throws {
    try TestDatabase.with(migrated: false) { database in
      let first = runCLI([
        "db", "migrate", "--database", database.conninfo, "--schema", TestDatabase.schemaFolder,
      ])
      #expect(first.status == 0)
      #expect(first.out.contains("applied 001_master_data.sql"))
      let second = runCLI([
        "db", "migrate", "--database", database.conninfo, "--schema", TestDatabase.schemaFolder,
      ])
      #expect(second.status == 0)
      #expect(second.out.contains("0 applied"))
    }
  }
}
