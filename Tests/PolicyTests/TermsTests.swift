import Foundation
import Policy
import Pricing
import RebateCore
import Testing

@Suite("Dealer terms")
struct TermsTests {
  let policy: CommercialPolicy

  init() throws { policy = try PolicyFiles.example("standard-2026.toml") }

  func issue(_ extra: String, from date: String = "2026-07-01", history: [DealerTerms] = [])
    throws -> DealerTerms
  {
    try TermsDesk.issue(
      dealer: "D-001", policy: policy, tier: "Gold", extraDiscount: rate(extra),
      effectiveFrom: day(date), issuedBy: "anna", history: history)
  }

  @Test("within the manager's authority (≤ 2 %) terms are approved at once")
  func withinLimit() throws {
    let terms = try issue("0.02")
    #expect(terms.status == .approved)
    #expect(terms.approvedBy == nil)
    #expect(terms.version == 1)
    #expect(terms.policyID == "standard-2026" && terms.policyVersion == 1)
  }

  @Test("over the approval level → pending; the approver must be someone else")
  func approvalFlow() throws {
    let terms = try issue("0.035")
    #expect(terms.status == .pending)
    #expect(throws: TermsError.approverIsIssuer("anna")) {
      try TermsDesk.approve(terms, by: "anna")
    }
    let approved = try TermsDesk.approve(terms, by: "boris")
    #expect(approved.status == .approved && approved.approvedBy == "boris")
    #expect(throws: TermsError.notPending(dealer: "D-001", version: 1)) {
      try TermsDesk.approve(approved, by: "carla")
    }
  }

  @Test("above the policy maximum, with an unknown tier or before the policy: refused")
  func refused() throws {
    #expect(throws: TermsError.extraAboveMaximum(rate("0.06"), maximum: rate("0.05"))) {
      try issue("0.06")
    }
    #expect(throws: TermsError.unknownTier("Platinum", allowed: ["Gold", "Silver", "Bronze"])) {
      try TermsDesk.issue(
        dealer: "D-001", policy: policy, tier: "Platinum", extraDiscount: .zero,
        effectiveFrom: day("2026-07-01"), issuedBy: "anna", history: [])
    }
    #expect(
      throws: TermsError.effectiveBeforePolicy(day("2025-12-31"), policyFrom: day("2026-01-01"))
    ) {
      try issue("0.01", from: "2025-12-31")
    }
  }

  @Test("the version in force at a date; pending versions are not in force")
  func effectiveDated() throws {
    let first = try issue("0.01", from: "2026-01-01")
    let second = try issue("0.02", from: "2026-07-01", history: [first])
    let pending = try issue("0.04", from: "2026-10-01", history: [first, second])
    #expect(second.version == 2 && pending.version == 3)
    let history = [first, second, pending]
    #expect(TermsDesk.inForce(history, dealer: "D-001", on: day("2026-06-30"))?.version == 1)
    #expect(TermsDesk.inForce(history, dealer: "D-001", on: day("2026-07-01"))?.version == 2)
    #expect(TermsDesk.inForce(history, dealer: "D-001", on: day("2026-11-01"))?.version == 2)
    let approved = try TermsDesk.approve(pending, by: "boris")
    #expect(
      TermsDesk.inForce([first, second, approved], dealer: "D-001", on: day("2026-11-01"))?.version
        == 3)
    #expect(TermsDesk.inForce(history, dealer: "D-001", on: day("2025-12-31")) == nil)
    #expect(TermsDesk.inForce(history, dealer: "D-002", on: day("2026-07-01")) == nil)
  }

  @Test("the policy version in force at a date")
  func policyVersions() throws {
    let projects = try PolicyFiles.example("project-groups-2026.toml")
    let all = [policy, projects]
    #expect(CommercialPolicy.inForce(all, id: "projects-2026", on: day("2026-03-31")) == nil)
    #expect(CommercialPolicy.inForce(all, id: "projects-2026", on: day("2026-04-01"))?.version == 2)
  }

  @Test("the terms sheet lists what the engine applies, in plain language, text and HTML")
  func termsSheet() throws {
    let terms = try TermsDesk.approve(try issue("0.03"), by: "boris")
    let sheet = try TermsSheet(
      policy: policy, terms: terms, segment: "Retail", region: "North", paymentTerms: "net30")
    let text = sheet.plainText
    #expect(text.contains("Gold tier: 20% off"))
    #expect(!text.contains("Silver tier"))
    #expect(!text.contains("Prepayment: 2% off"))
    #expect(
      cells(text, "2  Power tools")
        == [
          "2", "Power tools promotion Q3: 10% off",
          "category Power tools; orders dated 2026-07-01 to 2026-09-30",
        ])
    #expect(text.contains("Order of 50 units or more: 5% off"))
    #expect(text.contains("Extra discount (dealer terms): 3% off"))
    #expect(text.contains("3% off, after the discounts below (approved by boris)"))
    #expect(cells(text, "within 10 days") == ["within 10 days", "2%"])
    #expect(cells(text, "3,000,000.00") == ["3,000,000.00", "2%"])
    #expect(text.contains("by day 10 of the next month to earn 0.5%"))
    #expect(text.contains("within 60 days before the change"))
    #expect(text.contains("All discounts together never take more than 30% off the list price."))
    let html = sheet.html
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<td>Gold tier: 20% off</td>"))
    #expect(html.contains("— Standard distributor policy 2026</title>"))
    #expect(!html.contains("<script") && !html.contains("http"))
  }

  /// The cells of the text table row that starts with `prefix` (columns are 2+ spaces apart).
  func cells(_ text: String, _ prefix: String) -> [String] {
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
      return []
    }
    return line.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
  }

  @Test("auditing an invoiced line against the quote gives the amount at stake")
  func invoiceAudit() throws {
    let engine = try PriceEngine(Cascade(steps: e1Steps()))
    let quote = try engine.quote(
      dealer: goldDealer, product: product(list: "10000.00"), quantity: 60, on: day("2026-07-01"))
    let audit = try auditLine(expected: quote, invoicedNetUnit: money("6800.00"))
    #expect(audit.amountAtStake == money("2400.00"))
    #expect(!audit.matches)
    #expect(try auditLine(expected: quote, invoicedNetUnit: money("6840.00")).matches)
  }
}
