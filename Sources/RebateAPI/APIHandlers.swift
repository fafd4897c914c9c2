import Foundation
import HTTPServer
import PolicyFormat
import PostgresClient
import RebateCore
import RebateStore

/// The JSON API (docs/openapi.yaml). Handlers call the same domain functions the CLI uses
/// (`TermsDesk`, `PriceEngine.quote`, the store); they never compute anything of their own.
enum APIHandlers {
  static let routes: [APIRoute] = [
    APIRoute(
      rule: RouteRule("GET", "/api/me", roles: .everyone, summary: "who the token belongs to"),
      handler: me),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers", roles: .everyone, scope: .ownRows,
        summary: "dealers (a dealer user: its own)"),
      handler: dealers),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers/{dealer}", roles: .everyone, scope: .pathDealer,
        summary: "one dealer"),
      handler: dealer),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers/{dealer}/terms", roles: .everyone, scope: .pathDealer,
        summary: "every version of the dealer's terms"),
      handler: terms),
    APIRoute(
      rule: RouteRule(
        "POST", "/api/dealers/{dealer}/terms", roles: [.sales, .admin],
        scope: .pathDealer, changesData: true, summary: "issue new terms"),
      handler: issueTerms),
    APIRoute(
      rule: RouteRule(
        "POST", "/api/dealers/{dealer}/terms/{version}/approve",
        roles: [.sales, .finance, .admin], scope: .pathDealer, changesData: true,
        summary: "approve pending terms (not by their issuer)"),
      handler: approveTerms),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/approvals", roles: [.sales, .finance, .auditor, .admin],
        summary: "terms waiting for approval"),
      handler: approvals),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers/{dealer}/quote", roles: .everyone, scope: .pathDealer,
        query: ["sku", "quantity", "date"], summary: "price one line under the dealer's terms"),
      handler: quote),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers/{dealer}/progress", roles: .everyone,
        scope: .pathDealer, query: ["as_of"],
        summary: "live progress: basis per mechanic, next tier and what is missing"),
      handler: progress),
    APIRoute(
      rule: RouteRule("GET", "/api/policies", roles: .staff, summary: "loaded policy versions"),
      handler: policies),
    APIRoute(
      rule: RouteRule(
        "POST", "/api/policies", roles: [.admin], changesData: true,
        summary: "load a policy version (the policy file as the body)"),
      handler: loadPolicy),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/audit", roles: [.finance, .auditor, .admin],
        query: ["subject", "limit"], summary: "the audit log, newest first"),
      handler: audit),
  ]

  struct DealerView: Encodable {
    let code: String
    let name: String
    let tier: String
    let segment: String
    let region: String
    let status: String

    init(_ record: DealerRecord) {
      code = record.code
      name = record.name
      tier = record.tier
      segment = record.segment
      region = record.region
      status = record.status
    }
  }

  static func me(_ call: Call) throws -> Response {
    struct Me: Encodable {
      let user: String
      let role: String
      let dealer: String?
    }
    return try .json(
      encoding: Me(
        user: call.user.userName, role: call.user.role.rawValue, dealer: call.user.dealerCode))
  }

  /// The dealers `principal` may see.
  static func visibleDealers(_ principal: Principal, services: APIServices) throws -> [DealerRecord]
  {
    try services.withStore { store in
      try store.dealers().filter { principal.maySee(dealer: $0.code) }
    }
  }

  static func dealers(_ call: Call) throws -> Response {
    try .json(encoding: try visibleDealers(call.user, services: call.services).map(DealerView.init))
  }

  static func dealerRecord(_ code: String, services: APIServices) throws -> DealerRecord {
    let record = try services.withConnection { connection in
      try DealerRecord.read(code, on: connection)
    }
    guard let record else { throw APIError.notFound("no dealer \(code)") }
    return record
  }

  static func dealer(_ call: Call) throws -> Response {
    try .json(encoding: DealerView(try dealerRecord(call.dealer, services: call.services)))
  }

  static func terms(_ call: Call) throws -> Response {
    _ = try dealerRecord(call.dealer, services: call.services)
    return try .json(
      encoding: try call.services.withConnection { connection in
        try TermsRecords.history(dealer: call.dealer, on: connection)
      })
  }

  static let termsFields = ["policy", "tier", "extra_discount", "effective_from"]

  static func issueTerms(_ call: Call) throws -> Response {
    let fields = try RequestFields.json(call.request, allowed: termsFields)
    let view = try issueTerms(dealer: call.dealer, call, fields)
    return try .json(encoding: view, status: 201)
  }

  /// Shared by the API and the portal's form.
  static func issueTerms(dealer: String, _ call: Call, _ fields: RequestFields) throws
    -> TermsRecords.View
  {
    let extraText = fields.optional("extra_discount") ?? "0%"
    guard case .success(let extra) = Percent.parse(extraText) else {
      throw APIError.invalidField(
        "extra_discount", "'\(extraText.prefix(40))' is not a percentage like 2%")
    }
    let policy = try fields.identifier("policy")
    let tier = try fields.required("tier")
    let effectiveFrom = try fields.day("effective_from", default: { try today(call.services) })
    _ = try dealerRecord(dealer, services: call.services)
    return try call.services.withStore { store in
      try TermsRecords.issue(
        dealer: dealer, policyID: policy, tier: tier, extraDiscount: extra,
        effectiveFrom: effectiveFrom, by: call.user.userName, services: call.services, store: store)
    }
  }

  static func termsVersion(_ call: Call) throws -> Int {
    let text = call.request.parameter("version") ?? ""
    // The column is an int4: a larger number is refused here, never sent to PostgreSQL.
    guard let version = Int(text), (1...Int(Int32.max)).contains(version) else {
      throw APIError.invalidField(
        "version", "'\(text.prefix(40))' is not a terms version number (1...\(Int32.max))")
    }
    return version
  }

  static func approveTerms(_ call: Call) throws -> Response {
    let version = try termsVersion(call)
    return try .json(
      encoding: try call.services.withStore { store in
        try TermsRecords.approve(
          dealer: call.dealer, version: version, by: call.user.userName, services: call.services,
          store: store)
      })
  }

  static func approvals(_ call: Call) throws -> Response {
    try .json(
      encoding: try call.services.withConnection { connection in
        try TermsRecords.pending(on: connection)
      })
  }

  static func quote(_ call: Call) throws -> Response {
    .json(try quoteView(call, call.query).json)
  }

  static func quoteView(_ call: Call, _ fields: RequestFields) throws -> QuoteDesk.View {
    let sku = try fields.identifier("sku")
    let quantity = try fields.int("quantity", range: 1...LineQuoteStore.maxQuantity)
    let day = try fields.day("date", default: { try today(call.services) })
    return try QuoteDesk.quote(
      dealer: call.dealer, sku: sku, quantity: quantity, on: day, services: call.services)
  }

  static func progress(_ call: Call) throws -> Response {
    let asOf = try call.query.day("as_of", default: { try today(call.services) })
    _ = try dealerRecord(call.dealer, services: call.services)
    return try .json(
      encoding: try ProgressDesk.progress(dealer: call.dealer, asOf: asOf, services: call.services))
  }

  static func policies(_ call: Call) throws -> Response {
    try .json(
      encoding: try call.services.withConnection { connection in
        try PolicyRecords.list(on: connection, cache: call.services.policies)
      })
  }

  static func loadPolicy(_ call: Call) throws -> Response {
    let text = try call.request.bodyText()
    return try .json(
      encoding: try call.services.withStore { store in
        try PolicyRecords.load(text, by: call.user.userName, services: call.services, store: store)
      }, status: 201)
  }

  static let maxAuditEntries = 1_000

  /// The stored details object (text values only, as `PostgresStore.audit` writes them).
  static func auditDetails(_ json: String) throws -> [String: String] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    return (object as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
  }

  static func audit(_ call: Call) throws -> Response {
    struct Entry: Encodable {
      let at: String
      let actor: String
      let action: String
      let subject: String
      let details: [String: String]
    }
    let query = call.query
    let limit =
      query.optional("limit") == nil ? 100 : try query.int("limit", range: 1...maxAuditEntries)
    let entries = try call.services.withConnection { connection in
      try connection.query(
        """
        SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action,
          subject, details::text AS details
        FROM audit_log WHERE $1::text IS NULL OR subject = $1 OR starts_with(subject, $1 || ' ')
        ORDER BY audit_log.at DESC, entry_id LIMIT $2
        """, [query.optional("subject"), String(limit)], purpose: "read audit log"
      ).rows.map { row in
        Entry(
          at: try row.string("at"), actor: try row.string("actor"),
          action: try row.string("action"), subject: try row.string("subject"),
          details: try auditDetails(try row.string("details")))
      }
    }
    return try .json(encoding: entries)
  }
}
