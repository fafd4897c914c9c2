import Foundation
import PostgresClient
import Testing

@Suite("PostgreSQL client")
struct PostgresClientTests {
  @Test("parameters reach the server as values, never as SQL")
  func parameterisedQueries() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute("CREATE TABLE notes (id integer, body text)", purpose: "create")
      let hostile = "x'); DROP TABLE notes; --"
      try connection.execute(
        "INSERT INTO notes VALUES ($1, $2), ($3, $4)", ["1", hostile, "2", nil], purpose: "insert")
      let rows = try connection.query(
        "SELECT id, body FROM notes ORDER BY id", purpose: "read back")
      #expect(rows.rowCount == 2)
      #expect(try rows[0].int("id") == 1)
      #expect(try rows[0].string("body") == hostile)
      #expect(try rows[1].optionalString("body") == nil)
      #expect(throws: PostgresError.self) { try rows[1].string("body") }
      let sum = try connection.query(
        "SELECT $1::bigint + $2::bigint AS total", ["9000000000000000000", "7"], purpose: "add")
      #expect(try sum[0].int64("total") == 9_000_000_000_000_000_007)
    }
  }

  @Test("errors carry SQLSTATE, message, detail and the statement's purpose")
  func sqlStateOnErrors() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute("CREATE TABLE codes (code text PRIMARY KEY)", purpose: "create")
      try connection.execute("INSERT INTO codes VALUES ($1)", ["D1"], purpose: "first insert")
      do {
        try connection.execute("INSERT INTO codes VALUES ($1)", ["D1"], purpose: "second insert")
        Issue.record("a duplicate key must fail")
      } catch let error as PostgresError {
        #expect(error.sqlState == SQLState.uniqueViolation)
        #expect(error.purpose == "second insert")
        #expect(error.message.contains("duplicate key"))
        #expect(error.detail == "Key (code)=(D1) already exists.")
        #expect(error.description.hasPrefix("E-DB-QUERY: second insert: duplicate key"))
      }
      do {
        try connection.execute("SELEC 1", purpose: "typo")
        Issue.record("a syntax error must fail")
      } catch let error as PostgresError {
        #expect(error.sqlState == SQLState.syntaxError)
      }
      // The connection is still usable after errors outside a transaction.
      #expect(try connection.query("SELECT 1 AS one", purpose: "ping")[0].int("one") == 1)
    }
  }

  @Test("a bad connection string fails with E-DB-CONNECT")
  func connectFailure() throws {
    let admin = try TestDatabase.adminURL()
    let missing = try ConnectionString.replacingDatabase(admin, with: "rebate_no_such_db")
    #expect {
      try Connection(missing)
    } throws: { error in
      (error as? PostgresError)?.kind == .connect
        && (error as? PostgresError)?.message.contains("rebate_no_such_db") == true
    }
  }

  @Test("COPY in and out keeps non-ASCII text whole (UTF-8 byte counts)")
  func copyRoundTrip() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute("CREATE TABLE names (id integer, name text)", purpose: "create")
      let names = ["Дилер «Север»", "Ёлка-Маркет", "Plain", "Ümlaut & 東京"]
      let data = names.enumerated().map { "\($0.offset + 1)\t\($0.element)\n" }.joined()
      let copied = try connection.copyIn("COPY names FROM STDIN", purpose: "copy names in") {
        writer in try writer.send(data)
      }
      #expect(copied == names.count)
      let lengths = try connection.query(
        "SELECT name, length(name) AS characters FROM names ORDER BY id", purpose: "lengths")
      #expect(try lengths.rows.map { try $0.string("name") } == names)
      #expect(try lengths[0].int("characters") == 13)
      var received: [UInt8] = []
      let rows = try connection.copyOut(
        "COPY (SELECT id, name FROM names ORDER BY id) TO STDOUT", purpose: "copy names out"
      ) { chunk in received.append(contentsOf: chunk) }
      #expect(rows == names.count)
      #expect(String(decoding: received, as: UTF8.self) == data)
    }
  }

  @Test("a COPY with a bad row fails with SQLSTATE and keeps the connection usable")
  func copyFailure() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute("CREATE TABLE numbers (n integer)", purpose: "create")
      #expect {
        try connection.copyIn("COPY numbers FROM STDIN", purpose: "copy numbers") { writer in
          try writer.send("1\nnot-a-number\n")
        }
      } throws: { error in
        (error as? PostgresError)?.sqlState == SQLState.invalidTextRepresentation
          && (error as? PostgresError)?.kind == .copy
      }
      #expect(
        try connection.query("SELECT count(*) AS n FROM numbers", purpose: "count")[0].int("n") == 0
      )
    }
  }

  @Test("transaction commits on return, rolls back on error")
  func transactions() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute("CREATE TABLE ledger (amount_minor bigint)", purpose: "create")
      try connection.transaction(purpose: "good") { connection in
        try connection.execute("INSERT INTO ledger VALUES (100)", purpose: "insert")
      }
      struct Refused: Error {}
      #expect(throws: Refused.self) {
        try connection.transaction(purpose: "bad") { connection in
          try connection.execute("INSERT INTO ledger VALUES (999)", purpose: "insert")
          throw Refused()
        }
      }
      // An inner failure rolls back only the inner savepoint.
      try connection.transaction(purpose: "outer") { connection in
        try connection.execute("INSERT INTO ledger VALUES (5)", purpose: "insert")
        _ = try? connection.transaction(purpose: "inner") { connection in
          try connection.execute("INSERT INTO ledger VALUES (7)", purpose: "insert")
          try connection.execute("SELECT 1/0", purpose: "divide")
        }
      }
      let total = try connection.query(
        "SELECT sum(amount_minor) AS total FROM ledger", purpose: "sum")
      #expect(try total[0].int64("total") == 105)
    }
  }

  @Test("server notices are collected, not printed")
  func notices() throws {
    try TestDatabase.with(migrated: false) { database in
      let connection = try database.connect()
      try connection.execute(
        "DO $$ BEGIN RAISE NOTICE 'stock check: % units', 40; END $$", purpose: "notice")
      #expect(connection.receivedNotices.last == "NOTICE:  stock check: 40 units")
    }
  }

  @Test("a pool hands out at most its capacity and reuses connections")
  func pool() throws {
    try TestDatabase.with(migrated: false) { database in
      let pool = ConnectionPool(conninfo: database.conninfo, capacity: 1)
      let first = try pool.withConnection { connection in
        try connection.query("SELECT pg_backend_pid() AS pid", purpose: "pid")[0].int("pid")
      }
      let second = try pool.withConnection { connection in
        #expect(throws: PoolError.self) { try pool.withConnection { _ in 0 } }
        return try connection.query("SELECT pg_backend_pid() AS pid", purpose: "pid")[0].int("pid")
      }
      #expect(first == second)
    }
  }
}
