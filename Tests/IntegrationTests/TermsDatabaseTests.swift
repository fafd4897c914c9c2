import DemoData
import Foundation
import Policy
import PostgresClient
import RebateCore
import RebateStore
import Testing

/// The fixtures of Tests/golden/data that quotes and terms run on: dealers D001 (Gold), D002
/// (Silver), D003; product PT-DRL-0001 (Power tools, list 10,000.00, cost 6,900.00); policy
/// e1-cascade v1 (E1) and v2 (E3's guardrails, from 2026-11-01).
enum TermsFixtures {
  static func path(_ name: String) -> String {
    GoldenCase.repositoryRoot.appendingPathComponent("Tests/golden/data/\(name)").path
  }

  static let now = "2026-11-22T10:00:00Z"

  /// Runs `rebate` commands that must succeed.
  static func run(_ database: TestDatabase, _ commands: [[String]]) {
    for arguments in commands {
      let result = runCLI(arguments, environment: ["DATABASE_URL": database.conninfo])
      #expect(result.status == 0, "rebate \(arguments.joined(separator: " ")): \(result.err)")
    }
  }

  static func masterData(_ database: TestDatabase) {
    run(
      database,
      [
        ["import", "dealers", path("dealers.csv")],
        ["import", "products", path("quote-products.csv")],
        ["import", "prices", path("quote-prices.csv")],
      ])
  }

  static func store(_ connection: Connection) -> PostgresStore {
    PostgresStore(connection: connection, now: { now }, newID: { UUID().uuidString })
  }

  static func text(_ name: String) throws -> String {
    try String(contentsOfFile: path(name), encoding: .utf8)
  }

  static func decoded(_ name: String) throws -> CommercialPolicy {
    try PolicyDecoder.decode(try text(name), file: name).get()
  }

  @discardableResult
  static func load(_ name: String, _ store: PostgresStore) throws -> PolicyVersionStore.LoadResult {
    try PolicyVersionStore.load(
      try text(name), decoded: try decoded(name), at: now, by: "alice.admin", store: store)
  }

  static func code(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as TermsStoreError {
      return error.code
    } catch {
      return "unexpected \(error)"
    }
  }

  static func count(_ connection: Connection, _ sql: String) throws -> Int64 {
    try connection.query(sql, purpose: "count")[0].int64("n")
  }
}

@Suite("Policies and dealer terms in the database")
struct TermsDatabaseTests {
  @Test("a policy version is stored once; same text is a no-op; other text is refused")
  func policyLoad() throws {
    try TestDatabase.with { database in
      let connection = try database.connect()
      defer { connection.close() }
      let store = TermsFixtures.store(connection)
      #expect(try TermsFixtures.load("policy-e1-v1.toml", store).stored)
      #expect(try !TermsFixtures.load("policy-e1-v1.toml", store).stored)
      #expect(
        TermsFixtures.code { try TermsFixtures.load("policy-e1-v1-edited.toml", store) }
          == "E-POLICY-VERSION-CONFLICT")
      #expect(try TermsFixtures.load("policy-e1-v2.toml", store).stored)
      let versions = try PolicyVersionStore.versions(of: "e1-cascade", on: connection)
      #expect(versions.map(\.version) == [1, 2])
      #expect(versions[0].name == "E1 cascade")
      #expect(
        try TermsFixtures.count(
          connection, "SELECT count(*) AS n FROM audit_log WHERE action = 'policy.load'") == 2)
      // The database itself refuses changing a loaded version.
      #expect(throws: PostgresError.self) {
        try connection.execute(
          "UPDATE policies SET source_text = 'x' WHERE policy_id = 'e1-cascade'",
          purpose: "tamper")
      }
    }
  }

  @Test("terms within the limit are in force at once; above the approval level they wait")
  func approvalFlow() throws {
    try TestDatabase.with { database in
      TermsFixtures.masterData(database)
      let connection = try database.connect()
      defer { connection.close() }
      let store = TermsFixtures.store(connection)
      try TermsFixtures.load("policy-e1-v1.toml", store)
      let july = try Day.parse("2026-07-01")
      func issue(_ dealer: String, _ tier: String, _ extraPercent: Int, by user: String) throws
        -> StoredTerms
      {
        try DealerTermsStore.issue(
          dealer: dealer, policyID: "e1-cascade", tier: tier,
          extraDiscount: ExactDecimal(units: Int128(extraPercent), scale: 2), effectiveFrom: july,
          by: user, at: TermsFixtures.now, store: store)
      }
      let within = try issue("D001", "Gold", 2, by: "sam.sales")
      #expect(within.approval == "not_needed")
      #expect(within.terms.status == .approved)
      let above = try issue("D002", "Silver", 3, by: "sam.sales")
      #expect(above.approval == "pending")
      let history = try DealerTermsStore.history(dealer: "D002", on: connection).map(\.terms)
      #expect(TermsDesk.inForce(history, dealer: "D002", on: july) == nil)
      #expect(
        TermsFixtures.code {
          _ = try DealerTermsStore.approve(
            dealer: "D002", version: 1, by: "sam.sales", at: TermsFixtures.now, store: store)
        } == "E-TERMS-SELF-APPROVAL")
      let approved = try DealerTermsStore.approve(
        dealer: "D002", version: 1, by: "fiona.head", at: TermsFixtures.now, store: store)
      #expect(approved.approval == "approved")
      #expect(approved.terms.approvedBy == "fiona.head")
      #expect(approved.approvedAt == TermsFixtures.now)
      let after = try DealerTermsStore.history(dealer: "D002", on: connection).map(\.terms)
      #expect(TermsDesk.inForce(after, dealer: "D002", on: july)?.version == 1)
      #expect(
        TermsFixtures.code { _ = try issue("D002", "Silver", 6, by: "sam.sales") }
          == "E-TERMS-LIMIT")
      #expect(try DealerTermsStore.history(dealer: "D002", on: connection).count == 1)
      let actions = try connection.query(
        "SELECT action || ' ' || subject || ' ' || actor AS entry FROM audit_log "
          + "WHERE action LIKE 'terms.%' ORDER BY entry", purpose: "read audit"
      ).rows.map { try $0.string("entry") }
      #expect(
        actions == [
          "terms.approve D002 v1 fiona.head", "terms.issue D001 v1 sam.sales",
          "terms.issue D002 v1 sam.sales",
        ])
    }
  }

  @Test("the HTML terms sheet is the sheet of the terms in force, from the stored policy")
  func htmlSheet() throws {
    try TestDatabase.with { database in
      TermsFixtures.masterData(database)
      TermsFixtures.run(
        database,
        [
          ["policy", "load", TermsFixtures.path("policy-e1-v1.toml")],
          [
            "terms", "issue", "--dealer", "D001", "--policy", "e1-cascade", "--tier", "Gold",
            "--extra-discount", "1.5%", "--from", "2026-01-01", "--by", "sam.sales",
          ],
        ])
      let result = runCLI(
        ["terms", "show", "--dealer", "D001", "--date", "2026-07-15", "--format", "html"],
        environment: ["DATABASE_URL": database.conninfo])
      #expect(result.status == 0)
      let policy = try TermsFixtures.decoded("policy-e1-v1.toml")
      let terms = try TermsDesk.issue(
        dealer: "D001", policy: policy, tier: "Gold",
        extraDiscount: ExactDecimal(units: 15, scale: 3), effectiveFrom: Day.parse("2026-01-01"),
        issuedBy: "sam.sales", history: [])
      let sheet = try TermsSheet(
        policy: policy, terms: terms, segment: "installer", region: "Moscow", paymentTerms: "")
      #expect(result.out == sheet.html)
      #expect(result.out.contains("Gold tier: 20% off"))
      #expect(result.out.contains("1.5%"))
    }
  }

  @Test("the sample terms put every sample dealer on its tier, and one needs an approval")
  func sampleTerms() throws {
    let plan = try SamplePlan(seed: 42, scale: 1)
    let lines = SampleTerms.lines(plan)
    let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
    var dealers: [String: String] = [:]
    generateSampleData(plan) { table, line in
      guard table == .dealers, !line.hasPrefix("dealer,") else { return }
      let fields = line.split(separator: ",").map(String.init)
      dealers[fields[0]] = fields[2]
    }
    let first = rows.filter { $0[4] == SampleTerms.policyStart }
    #expect(first.count == dealers.count)
    #expect(first.allSatisfy { dealers[$0[0]] == $0[2] && $0[3] == "0%" })
    let extras = rows.filter { $0[4] == SampleTerms.extraFrom }
    #expect(extras.count == 8)
    #expect(extras.filter { $0[3] == "3%" }.count == 1)
    #expect(extras.allSatisfy { dealers[$0[0]] == $0[2] })
  }
}
