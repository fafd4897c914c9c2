import Foundation
import PostgresClient
import Testing

/// Database error codes of docs/errors.md that no command line reaches on demand, each produced
/// by a real failure and compared by code (or, for codes the database raises, by the message
/// PostgreSQL carries back).
@Suite struct DatabaseErrorCodeTests {
  func failure(_ body: () throws -> Void) -> PostgresError? {
    do {
      try body()
      return nil
    } catch {
      return error as? PostgresError
    }
  }

  @Test func aNullReadAsText() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      let rows = try connection.query("SELECT NULL::text AS body", purpose: "read a null")
      var code = ""
      do { _ = try rows[0].string("body") } catch let error as PostgresError { code = error.code }
      #expect(code == "E-DB-TYPE")
    }
  }

  @Test func aCopyWithABadRow() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute("CREATE TABLE numbers (n integer)", purpose: "create")
      var code = ""
      do {
        _ = try connection.copyIn("COPY numbers FROM STDIN", purpose: "copy numbers") { writer in
          try writer.send("1\nnot-a-number\n")
        }
      } catch let error as PostgresError {
        code = error.code
      }
      #expect(code == "E-DB-COPY")
    }
  }

  @Test func aPoolWithEveryConnectionInUse() throws {
    try TestDatabase.with(migrated: false) { database in
      let pool = ConnectionPool(conninfo: database.conninfo, capacity: 1)
      var refusal = ""
      try pool.withConnection { _ in
        do {
          try pool.withConnection { _ in }
        } catch {
          refusal = "\(error)"
        }
      }
      #expect(refusal.hasPrefix("E-DB-POOL: all 1 connections are in use"))
    }
  }

  /// The schema's triggers refuse edits the engine relies on never happening.
  @Test func theDatabaseRefusesImmutableAndReferencedRows() throws {
    try TestDatabase.with { database in
      let environment = ["DATABASE_URL": database.conninfo]
      for arguments in [
        ["import", "dealers", "Tests/golden/data/dealers.csv"],
        ["import", "products", "Tests/golden/data/products.csv"],
        ["import", "invoices", "Tests/golden/data/invoices.csv"],
        ["policy", "load", "Tests/golden/data/policy-e1-v1.toml", "--by", "alice.admin"],
      ] {
        #expect(runCLI(arguments, environment: environment).status == 0, "\(arguments)")
      }
      let connection = try database.connect()
      let edit = failure {
        try connection.execute(
          "UPDATE policies SET source_text = 'x' WHERE policy_id = 'e1-cascade'",
          purpose: "edit a loaded policy")
      }
      #expect(edit?.sqlState == SQLState.immutableRecord)
      #expect(edit?.message.contains("E-DB-IMMUTABLE: policy e1-cascade version 1") == true)
      let delete = failure {
        try connection.execute(
          "DELETE FROM products WHERE sku = 'NO-BOI-0001'", purpose: "delete an invoiced product")
      }
      #expect(delete?.sqlState == SQLState.foreignKeyViolation)
      #expect(delete?.message.contains("E-DB-REFERENCED: product NO-BOI-0001") == true)
    }
  }

  /// A sparse file one byte over 4 GiB: refused before a byte is read.
  @Test func anImportFileOverFourGiB() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebate-too-large-\(getpid()).csv").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 4_294_967_297)
    try handle.close()
    try TestDatabase.with { database in
      let result = runCLI(
        ["import", "dealers", path], environment: ["DATABASE_URL": database.conninfo])
      #expect(result.status == 1)
      #expect(result.err.contains("E-IMPORT-TOO-LARGE: \(path): 4294967297 bytes"))
    }
  }
}
