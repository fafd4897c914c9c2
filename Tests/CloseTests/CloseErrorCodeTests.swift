import Close
import Mechanics
import RebateCore
import Testing

/// The close's error codes of docs/errors.md, each produced by a real refusal of the close.
@Suite struct CloseErrorCodeTests {
  let incremental = settings(volume: VolumeBonusSettings(scale: .incremental(e5Tiers)))

  func code(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as CloseError {
      return error.code
    } catch {
      return "not a CloseError: \(error)"
    }
  }

  @Test func orderAndOwnership() throws {
    let dealers = [
      DealerDocuments(profile: profile("D-100"), invoices: q3Invoices(dealer: "D-100")),
      DealerDocuments(profile: profile("D-200"), invoices: q3Invoices(dealer: "D-200")),
    ]
    let results = try closePeriod(dealers, period: q3, settings: incremental).results
    var fold = PeriodClose(period: q3, settings: incremental)
    try fold.add(results[1])
    #expect(code { try fold.add(results[0]) } == "E-CLOSE-ORDER")
    let stray = DealerDocuments(
      profile: profile("D-1"),
      invoices: [invoice("X-1", dealer: "D-2", on: "2026-07-01", net: "1.00")])
    #expect(
      code { _ = try closeDealer(stray, period: q3, settings: incremental) }
        == "E-CLOSE-FOREIGN-DOCUMENT")
  }

  /// Late data must belong to an earlier period; and a dealer's close holds at most 1,000 lines,
  /// here 1,001 late credit notes that each give Q4 its own adjustment.
  @Test func lateDataInputAndTheLineLimit() throws {
    let q3Documents = DealerDocuments(profile: profile(), invoices: q3Invoices())
    let closedQ3 = try closePeriod([q3Documents], period: q3, settings: incremental)
    let late = creditNote("CN-LATE", on: "2026-09-20", net: "300000.00")
    let q3Now = DealerDocuments(profile: profile(), invoices: q3Invoices(), creditNotes: [late])
    let q4Documents = DealerDocuments(
      profile: profile(), invoices: [invoice("INV-10", on: "2026-10-05", net: "100000.00")])
    let check = LateDataCheck(
      closedPeriod: q3, closedLines: closedQ3.results[0].lines, documents: q3Now)
    #expect(
      code {
        _ = try closeDealer(q3Documents, period: q3, settings: incremental, lateData: [check])
      }
        == "E-CLOSE-INPUT")
    let limit = CloseLimits.maxLinesPerDealer
    #expect(
      code {
        _ = try closeDealer(
          q4Documents, period: q4, settings: incremental,
          lateData: Array(repeating: check, count: limit + 1))
      } == "E-CLOSE-LIMIT")
    let withinLimit = try closeDealer(
      q4Documents, period: q4, settings: incremental, lateData: Array(repeating: check, count: 3))
    #expect(withinLimit.lines.filter { $0.mechanic == "adjustment" }.count == 3)
  }
}
