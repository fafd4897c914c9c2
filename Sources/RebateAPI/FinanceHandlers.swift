import Close
import Foundation
import HTTPServer
import Policy
import PostgresClient
import RebateCore
import RebateStore

/// Statements and the period close, through `CloseStore` (the same calls as `rebate period`,
/// `rebate statement`, `rebate report cost`, `rebate export credit-notes`).
enum FinanceHandlers {
  static let routes: [APIRoute] = [
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers/{dealer}/statements/{period}", roles: .everyone,
        scope: .pathDealer, query: ["format"],
        summary: "the dealer's statement of a computed period (format=json|csv|html)"),
      handler: statement),
    APIRoute(
      rule: RouteRule(
        "POST", "/api/periods/{period}/close", roles: [.finance, .admin],
        changesData: true, summary: "compute the period as a draft under a loaded policy"),
      handler: close),
    APIRoute(
      rule: RouteRule(
        "POST", "/api/periods/{period}/approve", roles: [.finance, .admin],
        changesData: true, summary: "close a computed draft for good"),
      handler: approve),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/periods/{period}/cost", roles: [.finance, .auditor, .admin],
        query: ["format"], summary: "program cost report (format=text|csv)"),
      handler: cost),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/periods/{period}/credit-notes",
        roles: [.finance, .auditor, .admin], summary: "credit-note export for accounting (CSV)"),
      handler: creditNotes),
  ]

  static func period(_ call: Call) throws -> Period {
    let text = call.request.parameter("period") ?? ""
    guard let period = try? Period.parse(text) else {
      throw APIError.invalidField("period", "'\(text.prefix(40))' is not a period like 2026-Q3")
    }
    return period
  }

  /// Runs `body` with a close store whose reader and writer share one pooled connection (reads),
  /// or with a second, dedicated writer connection (`separateWriter`, for the close itself,
  /// which streams documents while it writes).
  static func withCloseStore<T>(
    _ services: APIServices, separateWriter: Bool = false, _ body: (CloseStore) throws -> T
  ) throws -> T {
    try services.withConnection { reader in
      let writer = separateWriter ? try Connection(services.pool.conninfo) : reader
      defer { if separateWriter { writer.close() } }
      let store = CloseStore(
        reader: reader, writer: writer, now: services.now,
        newID: { UUID().uuidString.lowercased() })
      do {
        return try body(store)
      } catch let error as CloseStoreError {
        switch error {
        case .notFound: throw APIError.notFound(error.description)
        default: throw APIError.rule(error.code, error.description)
        }
      } catch let error as StoreError {
        // Stored data the close cannot use (E-DB-CORRUPT): named, never a 500.
        throw APIError.rule(error.code, error.description)
      }
    }
  }

  static func statement(_ call: Call) throws -> Response {
    let period = try period(call)
    let format = call.query.optional("format") ?? "json"
    guard ["json", "csv", "html"].contains(format) else {
      throw APIError.invalidField("format", "'\(format.prefix(20))' is not json, csv or html")
    }
    let statement = try withCloseStore(call.services) { store in
      try store.statement(dealer: call.dealer, period: period)
    }
    switch format {
    case "csv": return .csv(statement.csv(), fileName: "statement-\(call.dealer)-\(period).csv")
    case "html": return .html(statement.html())
    default: return .json(statement.json())
    }
  }

  static func close(_ call: Call) throws -> Response {
    struct Summary: Encodable {
      let period: String
      let policy: String
      let status: String
    }
    let period = try period(call)
    let fields = try RequestFields.json(call.request, allowed: ["policy"])
    let policy = try closePeriod(period, policyID: try fields.identifier("policy"), call: call)
    return try .json(
      encoding: Summary(period: period.description, policy: policy, status: "draft"))
  }

  /// Computes `period` as a draft under the loaded version of `policyID` in force at its start;
  /// returns that version's reference.
  static func closePeriod(_ period: Period, policyID: String, call: Call) throws -> String {
    let (policy, source) = try call.services.withConnection { connection in
      guard
        let stored = try PolicyVersionStore.inForce(
          id: policyID, on: period.firstDay, connection: connection)
      else {
        throw TermsRecords.refusal(.policyNotInForce(id: policyID, day: period.firstDay))
      }
      return (stored.policy, stored.sourceText)
    }
    _ = try withCloseStore(call.services, separateWriter: true) { store in
      try store.close(
        period, settings: CloseSettings(policy: policy), policySource: source,
        actor: call.user.userName,
        newNetUnitPrice: try store.priceDropPricer(policy).newNetUnitPrice)
    }
    return policy.reference
  }

  static func approve(_ call: Call) throws -> Response {
    struct Closed: Encodable {
      let period: String
      let status: String
      let fingerprint: String
      let closed_by: String
    }
    let period = try period(call)
    let fingerprint = try withCloseStore(call.services) { store in
      try store.approve(period, by: call.user.userName)
    }
    return try .json(
      encoding: Closed(
        period: period.description, status: "closed", fingerprint: fingerprint,
        closed_by: call.user.userName))
  }

  static func cost(_ call: Call) throws -> Response {
    let period = try period(call)
    let format = call.query.optional("format") ?? "text"
    guard ["text", "csv"].contains(format) else {
      throw APIError.invalidField("format", "'\(format.prefix(20))' is not text or csv")
    }
    let cost = try withCloseStore(call.services) { store in
      try store.cost(period, settings: try store.storedSettings(period))
    }
    return format == "csv" ? .csv(cost.csv(), fileName: "cost-\(period).csv") : .text(cost.text())
  }

  static func creditNotes(_ call: Call) throws -> Response {
    let period = try period(call)
    var text = ""
    try withCloseStore(call.services) { store in
      try store.creditNotes(period, settings: try store.storedSettings(period)) { text += $0 }
    }
    return .csv(text, fileName: "credit-notes-\(period).csv")
  }
}
