import Close
import Mechanics
import RebateCore
import Testing

@Suite("Determinism and streaming")
struct DeterminismTests {
  /// Twelve dealers with E4/E5-like documents, varied by a seed.
  func dealers(seed: UInt64) -> [DealerDocuments] {
    var random = SplitMix(state: seed)
    return (0..<12).map { index in
      let dealer = "D-\(200 + index)"
      var invoices = q3Invoices(dealer: dealer)
      invoices.append(
        invoice("\(dealer)-EXTRA", dealer: dealer, on: "2026-07-03", net: "\(1000 + index * 37).15")
      )
      var payments = [
        payment(
          "\(dealer)-P1", dealer: dealer, on: "2026-07-12", gross: "\(500000 + index * 1000).00"),
        payment("\(dealer)-P2", dealer: dealer, on: "2026-08-25", gross: "900000.00"),
      ]
      var notes = [
        creditNote("\(dealer)-CN", dealer: dealer, on: "2026-09-02", net: "\(index * 1111).11")
      ]
      invoices.shuffle(using: &random)
      payments.shuffle(using: &random)
      notes.shuffle(using: &random)
      return DealerDocuments(
        profile: profile(dealer, segment: index % 2 == 0 ? "retail" : "project"),
        invoices: invoices, creditNotes: notes, payments: payments)
    }.shuffled(using: &random)
  }

  let policy = settings(
    early: e4Schedule, grades: e11Grades,
    volume: VolumeBonusSettings(scale: .incremental(e5Tiers)), cap: "0.03")

  @Test("shuffled documents and dealers give byte-identical lines, statements and fingerprint")
  func shuffledInputs() throws {
    let first = try closePeriod(dealers(seed: 1), period: q3, settings: policy)
    let second = try closePeriod(dealers(seed: 99), period: q3, settings: policy)
    #expect(first.summary.fingerprint == second.summary.fingerprint)
    #expect(first.results.map(\.lines) == second.results.map(\.lines))
    let statements = { (results: [DealerResult]) in
      try results.map {
        try Statement($0, status: .draft, policyReference: "p", fingerprint: nil).json()
      }
    }
    #expect(try statements(first.results) == statements(second.results))
    #expect(first.summary.cost.text() == second.summary.cost.text())
  }

  @Test("the streamed fingerprint equals the Mechanics' fingerprint of all lines at once")
  func streamedFingerprint() throws {
    let closed = try closePeriod(dealers(seed: 5), period: q3, settings: policy)
    let all = closed.results.flatMap(\.lines)
    #expect(all.count == closed.summary.lineCount)
    #expect(closed.summary.fingerprint == Fingerprint.sha256(all))
    #expect(closed.summary.dealerCount == 12)
  }

  @Test("a changed input changes the fingerprint")
  func sensitivity() throws {
    var changed = dealers(seed: 1)
    let victim = changed.removeLast()
    changed.append(
      DealerDocuments(
        profile: victim.profile,
        invoices: victim.invoices + [
          invoice("\(victim.dealer)-ONE-MORE", dealer: victim.dealer, on: "2026-09-30", net: "0.01")
        ], creditNotes: victim.creditNotes, payments: victim.payments))
    let base = try closePeriod(dealers(seed: 1), period: q3, settings: policy)
    let other = try closePeriod(changed, period: q3, settings: policy)
    #expect(base.summary.fingerprint != other.summary.fingerprint)
  }

  @Test("the fold refuses dealers out of order, and documents of another dealer")
  func refusals() throws {
    let results = try closePeriod(dealers(seed: 3), period: q3, settings: policy).results
    var fold = PeriodClose(period: q3, settings: policy)
    try fold.add(results[1])
    #expect(throws: CloseError.dealerOrder(previous: results[1].dealer, next: results[0].dealer)) {
      try fold.add(results[0])
    }
    let stray = DealerDocuments(
      profile: profile("D-1"),
      invoices: [invoice("X-1", dealer: "D-2", on: "2026-07-01", net: "1.00")])
    #expect(throws: CloseError.foreignDocument(dealer: "D-1", document: "invoice X-1")) {
      try closeDealer(stray, period: q3, settings: policy)
    }
  }

  @Test("program cost: segments and mechanics fold to the same total as the dealers")
  func costTotals() throws {
    let cost = try closePeriod(dealers(seed: 8), period: q3, settings: policy).summary.cost
    let byDealer = try Money.sum(cost.byDealer.map(\.rebates))
    #expect(byDealer == cost.total.rebates)
    #expect(try Money.sum(cost.bySegment.map(\.rebates)) == cost.total.rebates)
    #expect(try Money.sum(cost.byMechanic.map(\.rebates)) == cost.total.rebates)
    #expect(try Money.sum(cost.byDealer.map(\.turnover)) == cost.total.turnover)
    #expect(cost.bySegment.map(\.key) == ["project", "retail"])
  }
}
