import HTTPServer
import RebateCore

/// The finance page of the portal: compute a period (draft), close it for good, read the program
/// cost report. The same `CloseStore` calls as the API's `/api/periods/...` routes.
enum PortalFinance {
  static let routes: [APIRoute] = [
    APIRoute(
      rule: RouteRule(
        "GET", "/portal/finance", roles: [.finance, .auditor, .admin],
        query: ["period"], summary: "portal: finance page (close, approve, cost report)"),
      handler: page),
    APIRoute(
      rule: RouteRule(
        "POST", "/portal/finance/close", roles: [.finance, .admin],
        changesData: true, summary: "portal: compute a period as a draft (form)"),
      handler: close),
    APIRoute(
      rule: RouteRule(
        "POST", "/portal/finance/approve", roles: [.finance, .admin],
        changesData: true, summary: "portal: close a computed period for good (form)"),
      handler: approve),
  ]

  static let e = HTMLText.escaped

  static func page(_ call: Call) throws -> Response {
    let periodText = call.query.optional("period")
    var report = ""
    if let periodText {
      let period = try parsePeriod(periodText)
      let cost = try FinanceHandlers.withCloseStore(call.services) { store in
        try store.cost(period, settings: try store.storedSettings(period))
      }
      report =
        "<h2>Program cost \(e(period.description))</h2><pre id=\"cost\">\(e(cost.text()))</pre>"
    }
    let mayChange = call.user.role != .auditor
    let value = e(periodText ?? "")
    let forms =
      mayChange
      ? """
      <h2>Close a period</h2>
      <form method="post" action="/portal/finance/close" class="inline" id="close-form">
      <label>Period <input name="period" value="\(value)" placeholder="2026-Q3" required></label>
      <label>Policy <input name="policy" value="standard-2026" required></label>
      <button type="submit">Compute draft</button></form>
      <form method="post" action="/portal/finance/approve" class="inline" id="approve-form">
      <label>Period <input name="period" value="\(value)" placeholder="2026-Q3" required></label>
      <button type="submit">Approve and close for good</button></form>
      """ : ""
    let show = """
      <h2>Cost report</h2>
      <form method="get" action="/portal/finance" class="inline" id="cost-form">
      <label>Period <input name="period" value="\(value)" placeholder="2026-Q3" required></label>
      <button type="submit">Show</button></form>
      """
    return PortalPage.page(title: "Finance", user: call.user, body: forms + show + report)
  }

  static func parsePeriod(_ text: String) throws -> Period {
    guard let period = try? Period.parse(text) else {
      throw APIError.invalidField("period", "'\(text.prefix(40))' is not a period like 2026-Q3")
    }
    return period
  }

  static func close(_ call: Call) throws -> Response {
    let fields = try RequestFields.form(call.request, allowed: ["period", "policy"])
    let period = try parsePeriod(try fields.required("period"))
    _ = try FinanceHandlers.closePeriod(
      period, policyID: try fields.identifier("policy"), call: call)
    return PortalPage.redirect("/portal/finance?period=\(period)")
  }

  static func approve(_ call: Call) throws -> Response {
    let fields = try RequestFields.form(call.request, allowed: ["period"])
    let period = try parsePeriod(try fields.required("period"))
    _ = try FinanceHandlers.withCloseStore(call.services) { store in
      try store.approve(period, by: call.user.userName)
    }
    return PortalPage.redirect("/portal/finance?period=\(period)")
  }
}
