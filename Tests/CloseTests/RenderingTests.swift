import Close
import Mechanics
import RebateCore
import Testing

@Suite("Statement renderings")
struct RenderingTests {
  func e4Statement(status: Statement.Status = .closed) throws -> Statement {
    let documents = DealerDocuments(
      profile: profile(), invoices: [e4Invoice], payments: e4Payments())
    let result = try closeDealer(
      documents, period: q3, settings: settings(early: e4Schedule, grades: e11Grades))
    return try Statement(
      result, status: status, policyReference: "test-2026 v1", fingerprint: "abc123")
  }

  @Test("text: every line with rule, inputs, formula and sources; grade and total")
  func text() throws {
    let expected = #"""
      STATEMENT D-100 2026-Q3 (closed)
      Policy: test-2026 v1
      Fingerprint: abc123
      Net turnover: 1,000,000.00
      Payment grade: C (paid by due date 75.00 %, weighted days late 1.25, DSO 0.00)

      Rebates
      1. early_payment                                                                           11,500.00
         Rule: early-payment rebate: each payment earns the rate of its own date on the net it settles
         - schedule: ≤ 10 days 2.00 %, ≤ 20 days 1.00 %, later 0.00 %
         - net settled in period: 1,000,000.00
         - rounding: half_up per settlement
         Formula:
           PAY-1 on INV-E4 (7 days): 400,000.00 × 2.00 % = 8,000.00
           PAY-2 on INV-E4 (18 days): 350,000.00 × 1.00 % = 3,500.00
           PAY-3 on INV-E4 (35 days): 250,000.00 × 0.00 % = 0.00
           total 11,500.00
         Sources:
           invoice INV-E4 2026-07-01
           payment PAY-1 2026-07-08
           payment PAY-2 2026-07-19
           payment PAY-3 2026-08-05

      Payment discipline
         Rule: payment discipline: share paid by due date and amount-weighted days late, graded by rules in order
         - measured net: 1,000,000.00
         - paid by due date: 750,000.00
         - paid by due date share: 75.00 %
         - weighted days late: 1.25
         - DSO days: 0.00
         Formula:
           750,000.00 / 1,000,000.00 = 75.00 %
           Σ(net × days late) / Σ net = 1.25 → grade C
         Sources:
           payment PAY-1 2026-07-08 400,000.00
           payment PAY-2 2026-07-19 350,000.00
           payment PAY-3 2026-08-05 250,000.00

      Total                                                                                      11,500.00

      """#
    #expect(try e4Statement().text() == expected)
  }

  @Test("JSON: fixed key order, money as exact strings, escaped text")
  func json() throws {
    let json = try e4Statement().json()
    let prefix: String = [
      #"{"dealer":"D-100","period":"2026-Q3","status":"closed","policy":"test-2026 v1","#,
      #""fingerprint":"abc123","net_turnover":"1000000.00","lines":[{"mechanic":"early_payment","#,
      #""amount":"11500.00","explanation":{"rule":"early-payment rebate: "#,
    ].joined()
    #expect(json.hasPrefix(prefix))
    let suffix: String = [
      #""adjustments":[],"total":"11500.00","payment_grade":{"grade":"C","#,
      #""paid_by_due_share":"0.7500","weighted_days_late":"1.25","dso_days":"0.00","#,
      #""explanation":{"rule":"payment discipline: share paid by due date and amount-weighted "#,
      #"days late, graded by rules in order","inputs":[{"name":"measured net","#,
      #""value":"1,000,000.00"},{"name":"paid by due date","value":"750,000.00"},"#,
      #"{"name":"paid by due date share","value":"75.00 %"},{"name":"weighted days late","#,
      #""value":"1.25"},{"name":"DSO days","value":"0.00"}],"formula":"750,000.00 / "#,
      #"1,000,000.00 = 75.00 %; Σ(net × days late) / Σ net = 1.25 → grade C","sources":["#,
      #"{"kind":"payment","number":"PAY-1","day":"2026-07-08","amount":"400000.00"},"#,
      #"{"kind":"payment","number":"PAY-2","day":"2026-07-19","amount":"350000.00"},"#,
      #"{"kind":"payment","number":"PAY-3","day":"2026-08-05","amount":"250000.00"}],"#,
      #""note":null}}}"#, "\n",
    ].joined()
    #expect(json.hasSuffix(suffix))
    let quoted = try Statement(
      dealer: "D-\"1\"", period: q3, status: .draft, policyReference: "p\\q\nr",
      fingerprint: nil, netTurnover: .zero, lines: [], grade: nil
    ).json()
    #expect(
      quoted.hasPrefix(
        #"{"dealer":"D-\"1\"","period":"2026-Q3","status":"draft","policy":"p\\q\nr","fingerprint":null"#
      ))
  }

  @Test("CSV: a header, one row per line with inputs and sources, a total row")
  func csv() throws {
    let rows = try e4Statement().csv().split(separator: "\r\n", omittingEmptySubsequences: false)
    #expect(rows.count == 4)
    #expect(
      rows[0]
        == "dealer,period,status,line,mechanic,corrects_period,amount,rule,inputs,formula,sources,note"
    )
    #expect(
      rows[1].hasPrefix("D-100,2026-Q3,closed,1,early_payment,,11500.00,early-payment rebate: "))
    #expect(rows[1].contains(#","schedule: ≤ 10 days 2.00 %, ≤ 20 days 1.00 %, later 0.00 %; "#))
    #expect(
      rows[1].hasSuffix(
        ",invoice INV-E4 2026-07-01; payment PAY-1 2026-07-08; payment PAY-2 2026-07-19; payment PAY-3 2026-08-05,"
      ))
    #expect(rows[2] == "D-100,2026-Q3,closed,,total,,11500.00,,,,,payment grade C")
    #expect(rows[3] == "")
  }

  @Test("HTML: self-contained, A4 page, escaped, every line kept whole across pages")
  func html() throws {
    let html = try e4Statement().html()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
    #expect(html.contains("@page { size: A4; margin: 15mm; }"))
    #expect(html.contains(".line { break-inside: avoid; page-break-inside: avoid;"))
    #expect(!html.contains("http") && !html.contains("<script") && !html.contains("<link"))
    #expect(
      html.contains(
        "<p class=\"title\"><span>early_payment</span><span class=\"amount\">11,500.00</span></p>"))
    #expect(
      html.contains(
        "<tr><th>Formula</th><td>PAY-1 on INV-E4 (7 days): 400,000.00 × 2.00 % = 8,000.00; "))
    #expect(html.contains("<p class=\"total\"><span>Total</span><span>11,500.00</span></p>"))
    let hostile = try Statement(
      dealer: "<b>&", period: q3, status: .open, policyReference: "x", fingerprint: nil,
      netTurnover: .zero, lines: [], grade: nil
    ).html()
    #expect(hostile.contains("<h1>Statement &lt;b&gt;&amp; 2026-Q3</h1>"))
    #expect(!hostile.contains("<b>&"))
  }

  @Test("an adjustment is shown apart, with the closed period and mechanic it corrects")
  func adjustmentShown() throws {
    let incremental = settings(volume: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    let closed = try closeDealer(
      DealerDocuments(profile: profile(), invoices: q3Invoices()), period: q3, settings: incremental
    )
    let late = DealerDocuments(
      profile: profile(), invoices: q3Invoices(),
      creditNotes: [creditNote("CN-LATE", on: "2026-09-20", net: "300000.00")])
    let q4Result = try closeDealer(
      DealerDocuments(
        profile: profile(), invoices: [invoice("INV-10", on: "2026-10-05", net: "100000.00")]),
      period: q4, settings: incremental,
      lateData: [LateDataCheck(closedPeriod: q3, closedLines: closed.lines, documents: late)])
    let statement = try Statement(q4Result, status: .draft, policyReference: "p", fingerprint: nil)
    #expect(statement.lines.map(\.mechanic) == ["volume_bonus"])
    #expect(statement.adjustments.map(\.amount) == [money("-6000.00")])
    #expect(statement.total == money("-6000.00"))
    #expect(statement.text().contains("\nAdjustments\n2. adjustment of 2026-Q3 volume_bonus"))
    #expect(
      statement.json().contains(
        #"{"mechanic":"adjustment","amount":"-6000.00","corrects_period":"2026-Q3","corrects_mechanic":"volume_bonus""#
      ))
    #expect(statement.csv().contains(",adjustment,2026-Q3,-6000.00,"))
  }
}
