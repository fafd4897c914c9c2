import Close
import Mechanics
import RebateCore
import Testing

@Suite("Credit-note export and accruals")
struct ExportTests {
  @Test("E9: a rebate of 100.00 over three equal invoice lines → 33.34, 33.33, 33.33")
  func e9Allocation() throws {
    let equal = invoice(
      "INV-E9", on: "2026-07-01",
      lines: [line("1000.00", sku: "A"), line("1000.00", sku: "B"), line("1000.00", sku: "C")])
    let rebate = ResultLine(
      dealer: "D-100", period: q3, mechanic: "early_payment", amount: money("100.00"),
      explanation: Explanation(rule: "r", inputs: [], formula: "f", sources: []))
    let result = DealerResult(
      dealer: "D-100", segment: "retail", period: q3, netTurnover: money("3000.00"),
      lines: [rebate], discipline: nil)
    let csv = try CreditNoteExport.rows(result, invoices: [equal], settings: settings())
    #expect(
      csv
        == "credit_note,D-100,2026-Q3,early_payment,,,,,,100.00\r\n"
        + "allocation,D-100,2026-Q3,early_payment,,INV-E9,1,A,1000.00,33.34\r\n"
        + "allocation,D-100,2026-Q3,early_payment,,INV-E9,2,B,1000.00,33.33\r\n"
        + "allocation,D-100,2026-Q3,early_payment,,INV-E9,3,C,1000.00,33.33\r\n")
  }

  @Test("E5 retroactive 84,000.00 is allocated over the quarter's invoices and sums exactly")
  func volumeAllocation() throws {
    let policy = settings(volume: VolumeBonusSettings(scale: .retroactive(e5Tiers)))
    let documents = DealerDocuments(profile: profile(), invoices: q3Invoices())
    let result = try closeDealer(documents, period: q3, settings: policy)
    let csv = try CreditNoteExport.rows(result, invoices: q3Invoices(), settings: policy)
    let amounts = csv.split(separator: "\r\n").filter { $0.hasPrefix("allocation") }.map {
      money(String($0.split(separator: ",").last!))
    }
    #expect(amounts == [money("28000.00"), money("28000.00"), money("28000.00")])
    #expect(CreditNoteExport.header.hasPrefix("record,dealer,period,mechanic,corrects_period"))
  }

  @Test("an adjustment without invoice lines in its period is exported unallocated, balanced")
  func unallocatedAdjustment() throws {
    let incremental = settings(volume: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    let closed = try closeDealer(
      DealerDocuments(profile: profile(), invoices: q3Invoices()), period: q3, settings: incremental
    )
    let late = DealerDocuments(
      profile: profile(), invoices: q3Invoices(),
      creditNotes: [creditNote("CN-LATE", on: "2026-09-20", net: "300000.00")])
    let q4Result = try closeDealer(
      DealerDocuments(profile: profile(), invoices: []), period: q4, settings: incremental,
      lateData: [LateDataCheck(closedPeriod: q3, closedLines: closed.lines, documents: late)])
    let csv = try CreditNoteExport.rows(q4Result, invoices: [], settings: incremental)
    #expect(
      csv
        == "credit_note,D-100,2026-Q4,adjustment,2026-Q3,,,,,-6000.00\r\n"
        + "allocation,D-100,2026-Q4,adjustment,2026-Q3,,,unallocated,0.00,-6000.00\r\n")
  }

  @Test("monthly accruals of a quarterly bonus reconcile: final − accrued so far = last posting")
  func accrualsReconcile() throws {
    let policy = settings(volume: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    let documents = DealerDocuments(profile: profile(), invoices: q3Invoices())
    let july = try accrueDealer(documents, period: q3, asOf: day("2026-07-31"), settings: policy)
    let august = try accrueDealer(documents, period: q3, asOf: day("2026-08-31"), settings: policy)
    let final = try closeDealer(documents, period: q3, settings: policy).lines[0]
    #expect(final.amount == money("44000.00"))
    let postings = try monthlyAccrualPostings(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices()),
      versions: [Effective(from: q3.firstDay, settings: policy.offInvoice.volumeBonus!)],
      final: final)
    #expect(
      postings.map(\.cumulative) == [july[0].accruedToDate, august[0].accruedToDate, final.amount])
    #expect(try final.amount.subtracting(august[0].accruedToDate) == postings[2].amount)
    // 1,400,000 in 31 of 92 days runs at 4,154,838.71: heading for the 2 % tier.
    #expect(july[0].projected == money("43096.77"))
    #expect(july[0].missingToNextTier == nil || july[0].missingToNextTier! > .zero)
    #expect(july[0].earnedToDate == money("4000.00"))
  }

  @Test("early-payment accruals book what payments to date earned and project the run rate")
  func earlyPaymentAccrual() throws {
    let policy = settings(early: e4Schedule)
    let documents = DealerDocuments(
      profile: profile(), invoices: [e4Invoice], payments: e4Payments())
    let rows = try accrueDealer(documents, period: q3, asOf: day("2026-07-31"), settings: policy)
    #expect(rows.map(\.mechanic) == ["early_payment"])
    #expect(rows[0].earnedToDate == money("11500.00"))
    #expect(rows[0].projected == money("34129.03"))
    #expect(throws: CloseError.self) {
      try accrueDealer(documents, period: q3, asOf: day("2026-10-01"), settings: policy)
    }
  }
}
