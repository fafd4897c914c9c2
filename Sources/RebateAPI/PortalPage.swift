import HTTPServer
import RebateCore

/// The portal's HTML: one self-contained page layout (inline CSS, no scripts, no external
/// assets) that prints cleanly on A4, and escaping for every value put into it.
enum PortalPage {
  /// Text made safe for HTML element content and quoted attributes.
  static let e = HTMLText.escaped

  static let style = """
    body{font-family:system-ui,sans-serif;margin:0;color:#1b1f23}
    header{background:#17324d;color:#fff;padding:.6rem 1.2rem;display:flex;justify-content:space-between;align-items:center}
    header a,header button{color:#fff}
    header form{display:inline;margin:0}
    main{padding:1rem 1.2rem;max-width:60rem}
    table{border-collapse:collapse;margin:.5rem 0 1rem}
    th,td{border:1px solid #c8ced6;padding:.25rem .5rem;text-align:left}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    .error{color:#8b1a1a}.ok{color:#17612a}
    .bar{background:#e6e9ee;width:20rem;height:1rem;display:inline-block;vertical-align:middle}
    .bar span{background:#2e7d4f;height:1rem;display:block}
    form.inline label{margin-right:.8rem}
    @page{size:A4;margin:15mm}
    @media print{header form,nav,form.inline{display:none}header{background:none;color:#000}}
    """

  /// A full page; `user` adds the sign-out button and the navigation.
  static func page(title: String, user: Principal?, body: String, status: Int = 200) -> Response {
    var nav = ""
    if let user {
      nav =
        "<nav><a href=\"/portal/home\">Home</a>"
        + ([.sales, .finance, .admin].contains(user.role)
          ? " · <a href=\"/portal/sales\">Terms desk</a>" : "")
        + ([.finance, .auditor, .admin].contains(user.role)
          ? " · <a href=\"/portal/finance\">Finance</a>" : "")
        + "</nav><span>\(e(user.userName)) (\(user.role.rawValue))"
        + " <form method=\"post\" action=\"/portal/sign-out\"><button>Sign out</button></form></span>"
    }
    let html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(e(title)) · Rebate portal</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <style>\(style)</style></head>
      <body><header><strong>Rebate portal</strong>\(nav)</header>
      <main><h1>\(e(title))</h1>
      \(body)
      </main></body></html>
      """
    var response = Response.html(html, status: status)
    // Pages show one dealer's figures: never cache them in a shared cache.
    response.headers.set("Cache-Control", "no-store")
    return response
  }

  static func errorPage(_ error: HTTPError) -> Response {
    let signIn =
      error.status == 401 ? "<p><a href=\"/portal\">Sign in</a> with your API token.</p>" : ""
    var response = page(
      title: error.status == 401 ? "Please sign in" : "Request refused", user: nil,
      body:
        "<p class=\"error\" id=\"error\">\(e(error.code)): \(e(error.message))</p>"
        + signIn,
      status: error.status)
    for header in error.headers where header.name != "WWW-Authenticate" {
      response.headers.set(header.name, header.value)
    }
    return response
  }

  static func redirect(_ location: String) -> Response {
    var response = Response(status: 303)
    response.headers.set("Location", location)
    return response
  }

  /// A table from a header row and body rows of already-escaped cells.
  static func table(id: String, header: [String], rows: [[String]], numeric: Set<Int> = [])
    -> String
  {
    func cells(_ values: [String], tag: String) -> String {
      values.enumerated().map { index, value in
        "<\(tag)\(numeric.contains(index) ? " class=\"num\"" : "")>\(value)</\(tag)>"
      }.joined()
    }
    return
      "<table id=\"\(id)\"><thead><tr>\(cells(header.map(e), tag: "th"))</tr></thead><tbody>"
      + rows.map { "<tr>\(cells($0, tag: "td"))</tr>" }.joined() + "</tbody></table>"
  }

  /// A progress bar for `fraction` (clamped to 0...1), with its text for screen readers and print.
  static func bar(percent: Int, label: String) -> String {
    let clamped = min(max(percent, 0), 100)
    return
      "<span class=\"bar\" role=\"progressbar\" aria-valuenow=\"\(clamped)\" aria-valuemin=\"0\""
      + " aria-valuemax=\"100\"><span style=\"width:\(clamped)%\"></span></span> \(e(label))"
  }
}
