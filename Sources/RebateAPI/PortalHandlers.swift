import HTTPServer
import RebateCore
import RebateStore
import SellOut

/// The dealer portal: server-rendered pages and plain forms (no scripts). Signing in stores the
/// API token in an `HttpOnly`, `SameSite=Strict` cookie; every page then goes through the same
/// route rules as the JSON API.
enum PortalHandlers {
  static let routes: [APIRoute] = [
    APIRoute(
      rule: RouteRule("GET", "/", roles: nil, summary: "redirect to the portal"),
      handler: { _ in PortalPage.redirect("/portal") }),
    APIRoute(
      rule: RouteRule("GET", "/portal", roles: nil, summary: "portal: sign-in page"),
      handler: signInPage),
    APIRoute(
      rule: RouteRule(
        "POST", "/portal/sign-in", roles: nil, summary: "portal: sign in with a token"),
      handler: signIn),
    APIRoute(
      rule: RouteRule("POST", "/portal/sign-out", roles: nil, summary: "portal: sign out"),
      handler: signOut),
    APIRoute(
      rule: RouteRule(
        "GET", "/portal/home", roles: .everyone, scope: .ownRows,
        summary: "portal: start page (a dealer's own page, or the dealer list for staff)"),
      handler: home),
    APIRoute(
      rule: RouteRule(
        "GET", "/portal/dealers/{dealer}", roles: .everyone, scope: .pathDealer,
        summary: "portal: a dealer's terms and quote form"),
      handler: dealerPage),
    APIRoute(
      rule: RouteRule(
        "GET", "/portal/dealers/{dealer}/quote", roles: .everyone,
        scope: .pathDealer, query: ["sku", "quantity", "date"], summary: "portal: a quote"),
      handler: quotePage),
    APIRoute(
      rule: RouteRule(
        "POST", "/portal/dealers/{dealer}/sellout", roles: [.dealer, .sales, .admin],
        scope: .pathDealer, changesData: true,
        summary: "portal: upload a sell-out file (multipart form) and see the result line by line"),
      handler: uploadSellOut),
    APIRoute(
      rule: RouteRule(
        "GET", "/portal/dealers/{dealer}/statement", roles: .everyone,
        scope: .pathDealer, query: ["period"], summary: "portal: a printable statement"),
      handler: statementPage),
    APIRoute(
      rule: RouteRule(
        "GET", "/portal/sales", roles: [.sales, .finance, .admin],
        summary: "portal: terms desk (issue terms, approvals)"),
      handler: salesPage),
    APIRoute(
      rule: RouteRule(
        "POST", "/portal/terms", roles: [.sales, .admin], changesData: true,
        summary: "portal: issue terms (form)"),
      handler: issueTerms),
    APIRoute(
      rule: RouteRule(
        "POST", "/portal/dealers/{dealer}/terms/{version}/approve",
        roles: [.sales, .finance, .admin], scope: .pathDealer, changesData: true,
        summary: "portal: approve terms (form)"),
      handler: approveTerms),
  ]

  static let e = HTMLText.escaped

  static func signInPage(_ call: Call) throws -> Response {
    PortalPage.page(
      title: "Sign in", user: nil,
      body: """
        <form method="post" action="/portal/sign-in" id="sign-in">
        <p><label>API token <input name="token" type="password" size="72" autocomplete="off" required></label></p>
        <p><button type="submit">Sign in</button></p></form>
        <p>Your administrator gives you a token (<code>rebate users add</code>).</p>
        """)
  }

  static func signIn(_ call: Call) throws -> Response {
    let fields = try RequestFields.form(call.request, allowed: ["token"])
    let token = fields.optional("token") ?? ""
    let verifier = PostgresTokenVerifier(services: call.services)
    guard APIToken.isWellFormed(token),
      let user = try verifier.principal(forTokenHash: APIToken.hash(token))
    else {
      return PortalPage.page(
        title: "Sign in", user: nil,
        body:
          "<p class=\"error\" id=\"error\">E-HTTP-UNAUTHENTICATED: the token is unknown or revoked.</p>"
          + "<p><a href=\"/portal\">Try again</a></p>", status: 401)
    }
    var response = PortalPage.redirect("/portal/home")
    response.headers.append(
      "Set-Cookie",
      "\(Authenticator.defaultCookieName)=\(token); Path=/; HttpOnly; SameSite=Strict")
    response.user = user.userName
    return response
  }

  static func signOut(_ call: Call) throws -> Response {
    var response = PortalPage.redirect("/portal")
    response.headers.append(
      "Set-Cookie",
      "\(Authenticator.defaultCookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    return response
  }

  static func home(_ call: Call) throws -> Response {
    if call.user.role == .dealer, let own = call.user.dealerCode {
      return PortalPage.redirect("/portal/dealers/\(own)")
    }
    let dealers = try APIHandlers.visibleDealers(call.user, services: call.services)
    let rows = dealers.prefix(500).map { dealer in
      [
        "<a href=\"/portal/dealers/\(e(dealer.code))\">\(e(dealer.code))</a>", e(dealer.name),
        e(dealer.tier), e(dealer.segment), e(dealer.region), e(dealer.status),
      ]
    }
    return PortalPage.page(
      title: "Dealers", user: call.user,
      body: PortalPage.table(
        id: "dealers", header: ["Dealer", "Name", "Tier", "Segment", "Region", "Status"], rows: rows
      )
        + (dealers.count > 500 ? "<p>First 500 of \(dealers.count) dealers.</p>" : ""))
  }

  static func dealerPage(_ call: Call) throws -> Response {
    let dealer = try APIHandlers.dealerRecord(call.dealer, services: call.services)
    let history = try call.services.withConnection { connection in
      try TermsRecords.history(dealer: dealer.code, on: connection)
    }
    let mayApprove = [.sales, .finance, .admin].contains(call.user.role)
    let termsRows = history.reversed().map { terms in
      var approval = e(terms.approval)
      if terms.approval == "pending" && mayApprove && terms.issued_by != call.user.userName {
        approval +=
          " <form method=\"post\" class=\"inline\" action=\"/portal/dealers/\(e(dealer.code))/terms/\(terms.version)/approve\">"
          + "<button>Approve</button></form>"
      }
      return [
        "v\(terms.version)", e(terms.effective_from), e("\(terms.policy) v\(terms.policy_version)"),
        e(terms.tier), e(terms.extra_discount_percent) + " %", e(terms.issued_by), approval,
      ]
    }
    let today = try today(call.services)
    let progress = try progressSection(dealer.code, today, call.services)
    let submissions = try call.services.withConnection { connection in
      try SellOutStore(connection: connection).submissions(dealer: dealer.code)
    }
    let submissionRows = submissions.suffix(24).reversed().map {
      [
        e($0.month.description), "v\($0.version)", e($0.submittedAt), e($0.submittedBy),
        "\($0.lineCount)",
      ]
    }
    let mayUpload = [.dealer, .sales, .admin].contains(call.user.role)
    let uploadForm =
      mayUpload
      ? """
      <form method="post" action="/portal/dealers/\(e(dealer.code))/sellout" enctype="multipart/form-data" class="inline" id="upload-form">
      <label>Month <input name="month" placeholder="YYYY-MM" required></label>
      <label>File <input name="file" type="file" required></label>
      <button type="submit">Upload</button></form>
      """ : ""
    let body = """
      <p id="dealer">\(e(dealer.code)) · \(e(dealer.name)) · \(e(dealer.segment)) · \(e(dealer.region)) · \(e(dealer.status))</p>
      <h2>Terms</h2>
      \(history.isEmpty ? "<p id=\"no-terms\">No terms issued yet.</p>" : PortalPage.table(id: "terms", header: ["Version", "Effective", "Policy", "Tier", "Extra discount", "Issued by", "Approval"], rows: termsRows))
      <h2>Progress in the current period</h2>
      \(progress)
      <h2>Sell-out reports</h2>
      \(uploadForm)
      \(submissions.isEmpty ? "<p id=\"no-submissions\">No sell-out reports yet.</p>" : PortalPage.table(id: "submissions", header: ["Month", "Version", "Received", "By", "Lines"], rows: submissionRows, numeric: [4]))
      <h2>Statements</h2>
      <form method="get" action="/portal/dealers/\(e(dealer.code))/statement" class="inline" id="statement-form">
      <label>Period <input name="period" placeholder="2026-Q3" required></label>
      <button type="submit">Show statement</button></form>
      <h2>Quote a price</h2>
      <form method="get" action="/portal/dealers/\(e(dealer.code))/quote" class="inline" id="quote-form">
      <label>SKU <input name="sku" required></label>
      <label>Quantity <input name="quantity" type="number" min="1" value="1" required></label>
      <label>Date <input name="date" type="date" value="\(today)"></label>
      <button type="submit">Quote</button></form>
      """
    return PortalPage.page(title: "Dealer \(dealer.code)", user: call.user, body: body)
  }

  /// Progress bars toward the next tier per mechanic and toward the reporting bonus; a dealer
  /// without terms in force sees why there is nothing to show.
  static func progressSection(_ dealer: String, _ day: Day, _ services: APIServices) throws
    -> String
  {
    let view: ProgressDesk.View
    do {
      view = try ProgressDesk.progress(dealer: dealer, asOf: day, services: services)
    } catch let error as HTTPError where error.status == 422 {
      return "<p id=\"no-progress\">\(e(error.message))</p>"
    }
    var items = view.mechanics.map { row -> String in
      let label =
        row.missing_to_next_tier.map { "\(row.projected_tier); \($0) missing to the next tier" }
        ?? "\(row.projected_tier); top tier reached"
      return "<li><strong>\(e(row.mechanic))</strong> basis \(e(row.basis_to_date ?? "-")), earned "
        + "\(e(row.earned_to_date)), projected \(e(row.projected)): "
        + PortalPage.bar(percent: row.percent_to_next_tier ?? 100, label: label) + "</li>"
    }
    if let reporting = view.reporting {
      let percent = reporting.months_on_time * 100 / max(reporting.months_in_period, 1)
      items.append(
        "<li><strong>reporting bonus</strong> "
          + PortalPage.bar(
            percent: percent,
            label: "\(reporting.months_on_time) of \(reporting.months_in_period) months on time"
              + " (due by day \(reporting.due_day_of_next_month) of the next month)") + "</li>")
    }
    return "<p>\(e(view.period)) as of \(e(view.as_of)) under \(e(view.policy))</p>"
      + "<ul id=\"progress\">\(items.joined())</ul>"
  }

  static func uploadSellOut(_ call: Call) throws -> Response {
    let form = try MultipartForm(call.request, allowed: ["month", "file"])
    guard let monthPart = form.part("month"), let file = form.part("file") else {
      throw APIError.invalidField("month/file", "the form needs a month and a file")
    }
    let month = try SellOutHandlers.month(String(decoding: monthPart.bytes, as: UTF8.self))
    let fileName = e(file.fileName ?? "upload")
    let back = "<p><a href=\"/portal/dealers/\(e(call.dealer))\">Back to \(e(call.dealer))</a></p>"
    switch try SellOutHandlers.submit(
      dealer: call.dealer, month: month, bytes: file.bytes, user: call.user.userName,
      services: call.services)
    {
    case .rejected(let rejection):
      let rows = SellOutHandlers.errorViews(rejection).map {
        [$0.line == 0 ? "file" : "\($0.line)", e($0.column), e($0.value), e($0.reason), e($0.code)]
      }
      let more =
        rejection.unlistedErrorCount > 0
        ? "<p>and \(rejection.unlistedErrorCount) more errors</p>" : ""
      return PortalPage.page(
        title: "Sell-out \(month): rejected", user: call.user,
        body: "<p class=\"error\" id=\"rejected\">\(fileName) was rejected: nothing was stored. "
          + "Fix every line below and upload the file again.</p>"
          + PortalPage.table(
            id: "errors", header: ["Line", "Column", "Value", "Reason", "Code"], rows: rows)
          + more + back, status: 422)
    case .stored(let receipt):
      let lines = try call.services.withConnection { connection in
        try SellOutStore(connection: connection).versionLines(dealer: call.dealer, month: month)
      }
      let accepted = lines.indices.contains(receipt.version - 1) ? lines[receipt.version - 1] : []
      let rows = accepted.prefix(500).enumerated().map { index, line in
        ["\(index + 1)", e(line.day.description), e(line.sku), "\(line.quantity)"]
      }
      let outcome =
        receipt.kind == .newVersion
        ? "stored as version \(receipt.version) with \(receipt.lineCount) lines"
        : "is the same file as version \(receipt.version), already stored; nothing changed"
      return PortalPage.page(
        title: "Sell-out \(month): accepted", user: call.user,
        body: "<p class=\"ok\" id=\"accepted\">\(fileName) \(outcome).</p>"
          + PortalPage.table(
            id: "lines", header: ["#", "Date", "SKU", "Quantity"], rows: rows, numeric: [3])
          + back)
    }
  }

  static func statementPage(_ call: Call) throws -> Response {
    let text = try call.query.required("period")
    guard let period = try? Period.parse(text) else {
      throw APIError.invalidField("period", "'\(text.prefix(40))' is not a period like 2026-Q3")
    }
    let statement = try FinanceHandlers.withCloseStore(call.services) { store in
      try store.statement(dealer: call.dealer, period: period)
    }
    var response = Response.html(statement.html())
    response.headers.set("Cache-Control", "no-store")
    return response
  }

  static func quotePage(_ call: Call) throws -> Response {
    let quote = try APIHandlers.quoteView(call, call.query)
    let steps = quote.steps.map { [e($0.label), e($0.applied), e($0.price_after)] }
    let body = """
      <p><a href="/portal/dealers/\(e(quote.dealer))">Back to \(e(quote.dealer))</a></p>
      <table id="quote"><tbody>
      <tr><th>Product</th><td>\(e(quote.sku)) × \(quote.quantity) on \(e(quote.date))</td></tr>
      <tr><th>Terms</th><td>v\(quote.terms_version), tier \(e(quote.tier)), \(e(quote.policy))</td></tr>
      <tr><th>List price</th><td class="num">\(e(quote.list_price))</td></tr>
      <tr><th>Net unit price</th><td class="num" id="net-unit">\(e(quote.net_unit_price))</td></tr>
      <tr><th>Line total</th><td class="num" id="line-total">\(e(quote.line_total))</td></tr>
      <tr><th>Effective discount</th><td class="num">\(e(quote.effective_discount_percent)) %</td></tr>
      <tr><th>Guardrail</th><td>\(e(quote.guardrail))</td></tr>
      </tbody></table>
      <h2>How the price was reached</h2>
      \(PortalPage.table(id: "steps", header: ["Step", "Applied", "Price after"], rows: steps, numeric: [1, 2]))
      """
    return PortalPage.page(title: "Quote for \(quote.dealer)", user: call.user, body: body)
  }

  static func salesPage(_ call: Call) throws -> Response {
    let (pending, policies) = try call.services.withConnection { connection in
      (
        try TermsRecords.pending(on: connection),
        try PolicyRecords.list(on: connection, cache: call.services.policies)
      )
    }
    let pendingRows = pending.map { terms in
      let approve =
        terms.issued_by == call.user.userName
        ? "issued by you"
        : "<form method=\"post\" class=\"inline\" action=\"/portal/dealers/\(e(terms.dealer))/terms/\(terms.version)/approve\"><button>Approve</button></form>"
      return [
        "<a href=\"/portal/dealers/\(e(terms.dealer))\">\(e(terms.dealer))</a>",
        "v\(terms.version)",
        e(terms.tier), e(terms.extra_discount_percent) + " %", e(terms.issued_by), approve,
      ]
    }
    let policyOptions = policies.map {
      "<option value=\"\(e($0.id))\">\(e($0.id)) v\($0.version) (\(e($0.tiers.joined(separator: "/"))))</option>"
    }.joined()
    let issueForm =
      [.sales, .admin].contains(call.user.role)
      ? """
      <h2>Issue terms</h2>
      <form method="post" action="/portal/terms" id="terms-form">
      <p><label>Dealer <input name="dealer" required></label>
      <label>Policy <select name="policy">\(policyOptions)</select></label>
      <label>Tier <input name="tier" required></label>
      <label>Extra discount <input name="extra_discount" value="0%"></label>
      <label>Effective from <input name="effective_from" type="date"></label></p>
      <p><button type="submit">Issue</button></p></form>
      """ : ""
    let body =
      "<h2>Waiting for approval</h2>"
      + (pending.isEmpty
        ? "<p id=\"no-pending\">Nothing is waiting.</p>"
        : PortalPage.table(
          id: "pending", header: ["Dealer", "Version", "Tier", "Extra", "Issued by", ""],
          rows: pendingRows)) + issueForm
    return PortalPage.page(title: "Terms desk", user: call.user, body: body)
  }

  static func issueTerms(_ call: Call) throws -> Response {
    let fields = try RequestFields.form(
      call.request, allowed: ["dealer"] + APIHandlers.termsFields)
    let dealer = try fields.identifier("dealer")
    try call.user.requireAccess(toDealer: dealer)
    let view = try APIHandlers.issueTerms(dealer: dealer, call, fields)
    return PortalPage.redirect("/portal/dealers/\(view.dealer)")
  }

  static func approveTerms(_ call: Call) throws -> Response {
    let version = try APIHandlers.termsVersion(call)
    _ = try call.services.withStore { store in
      try TermsRecords.approve(
        dealer: call.dealer, version: version, by: call.user.userName, services: call.services,
        store: store)
    }
    return PortalPage.redirect("/portal/dealers/\(call.dealer)")
  }
}
