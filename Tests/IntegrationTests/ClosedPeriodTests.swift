import PostgresClient
import Testing

/// The database itself refuses changes to a closed period: plain SQL, no application code.
@Suite("Closed periods are immutable in the database")
struct ClosedPeriodTests {
  static let setup = [
    "INSERT INTO dealers VALUES ('D-001', 'Дилер Север', 'gold', 'retail', 'north', 'active')",
    "INSERT INTO periods (period_key, status) VALUES ('2026-Q3', 'draft'), ('2026-Q4', 'open')",
    """
    INSERT INTO results (dealer_id, period_key, mechanic, amount_minor, explanation, computed_at)
    VALUES ('D-001', '2026-Q3', 'volume_bonus', 4400000, '{"rule": "incremental"}', now())
    """,
    """
    UPDATE periods SET status = 'closed', fingerprint = 'f00d', closed_by = 'finance',
      closed_at = now() WHERE period_key = '2026-Q3'
    """,
  ]

  static let refused = [
    "UPDATE results SET amount_minor = 3800000 WHERE period_key = '2026-Q3'",
    "DELETE FROM results WHERE period_key = '2026-Q3'",
    """
    INSERT INTO results (dealer_id, period_key, mechanic, amount_minor, explanation, computed_at)
    VALUES ('D-001', '2026-Q3', 'adjustment', -600000, '{}', now())
    """,
    "UPDATE results SET period_key = '2026-Q4' WHERE period_key = '2026-Q3'",
    "UPDATE periods SET status = 'open', fingerprint = NULL, closed_by = NULL, closed_at = NULL "
      + "WHERE period_key = '2026-Q3'",
    "UPDATE periods SET fingerprint = 'other' WHERE period_key = '2026-Q3'",
    "DELETE FROM periods WHERE period_key = '2026-Q3'",
    "TRUNCATE results",
  ]

  @Test("UPDATE, DELETE, INSERT on a closed period's results and reopening are refused")
  func closedPeriodRefusesChanges() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      for statement in Self.setup { try connection.execute(statement, purpose: "set up") }
      for statement in Self.refused {
        #expect(throws: PostgresError.self, "\(statement)") {
          try connection.execute(statement, purpose: "try to change closed period")
        }
        do {
          try connection.execute(statement, purpose: "try to change closed period")
        } catch let error as PostgresError {
          #expect(error.sqlState == SQLState.closedPeriod, "\(statement)")
          #expect(error.message.hasPrefix("E-DB-PERIOD-CLOSED"))
        }
      }
      let stored = try connection.query(
        "SELECT amount_minor, (SELECT status FROM periods WHERE period_key = '2026-Q3') AS status "
          + "FROM results WHERE period_key = '2026-Q3'", purpose: "read")
      #expect(stored.rowCount == 1)
      #expect(try stored[0].int64("amount_minor") == 4_400_000)
      #expect(try stored[0].string("status") == "closed")
    }
  }

  @Test("an open or draft period's results may change; the adjustment goes to the next period")
  func openPeriodAcceptsChanges() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      for statement in Self.setup { try connection.execute(statement, purpose: "set up") }
      try connection.execute(
        """
        INSERT INTO results (dealer_id, period_key, mechanic, line_key, amount_minor, explanation,
          source_refs, computed_at)
        VALUES ('D-001', '2026-Q4', 'adjustment', '2026-Q3', -600000, '{}', '["period:2026-Q3"]', now())
        """, purpose: "post adjustment")
      try connection.execute(
        "UPDATE results SET amount_minor = -600001 WHERE period_key = '2026-Q4'", purpose: "update")
      try connection.execute("DELETE FROM results WHERE period_key = '2026-Q4'", purpose: "delete")
      try connection.execute(
        "UPDATE periods SET status = 'draft' WHERE period_key = '2026-Q4'", purpose: "draft")
    }
  }

  @Test("a loaded policy version cannot be edited")
  func policiesImmutable() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      try connection.execute(
        "INSERT INTO policies VALUES ('standard', 1, 'grain: quarter', $1, now())",
        [String(repeating: "a", count: 64)], purpose: "load policy")
      do {
        try connection.execute(
          "UPDATE policies SET source_text = 'grain: month'", purpose: "edit policy")
        Issue.record("editing a loaded policy must fail")
      } catch let error as PostgresError {
        #expect(error.sqlState == SQLState.immutableRecord)
      }
    }
  }
}
