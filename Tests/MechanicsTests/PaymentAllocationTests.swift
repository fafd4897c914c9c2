import Mechanics
import RebateCore
import Testing

@Suite struct PaymentAllocationTests {
  @Test func e4PaymentsSettleOldestOpenInvoiceProRataToNet() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    #expect(
      allocation.settlements.map(\.net) == [
        money("400000.00"), money("350000.00"), money("250000.00"),
      ])
    #expect(allocation.settlements.map(\.daysAfterInvoice) == [7, 18, 35])
    #expect(allocation.settlements.map(\.daysLate) == [0, 0, 5])
    #expect(allocation.openInvoices.isEmpty)
    #expect(allocation.unapplied.isEmpty)
  }

  @Test func partialPaymentLeavesInvoiceOpen() throws {
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: [e4Payments[0]])
    let open = try #require(allocation.openInvoices.first)
    #expect(open.gross == money("720000.00"))
    #expect(open.net == money("600000.00"))
  }

  @Test func explicitReferenceWinsOverOldestFirst() throws {
    let older = invoice("INV-A", on: "2026-07-01", net: "100.00")
    let newer = invoice("INV-B", on: "2026-07-05", net: "100.00")
    let allocation = try PaymentAllocation(
      invoices: [older, newer], creditNotes: [],
      payments: [payment("P", on: "2026-07-10", gross: "120.00", invoice: "INV-B")])
    #expect(allocation.settlements.map(\.invoiceNumber) == ["INV-B"])
    #expect(allocation.openInvoices.map(\.invoiceNumber) == ["INV-A"])
  }

  @Test func oldestFirstOrdersByDateThenNumber() throws {
    let allocation = try PaymentAllocation(
      invoices: [
        invoice("INV-2", on: "2026-07-01", net: "100.00"),
        invoice("INV-1", on: "2026-07-01", net: "100.00"),
        invoice("INV-0", on: "2026-07-02", net: "100.00"),
      ], creditNotes: [], payments: [payment("P", on: "2026-07-10", gross: "180.00")])
    #expect(allocation.settlements.map(\.invoiceNumber) == ["INV-1", "INV-2"])
    #expect(allocation.settlements.map(\.net) == [money("100.00"), money("50.00")])
  }

  @Test func prepaymentSettlesLaterInvoiceWithNegativeDays() throws {
    let allocation = try PaymentAllocation(
      invoices: [invoice("INV-P", on: "2026-07-10", net: "1000.00")], creditNotes: [],
      payments: [payment("PRE", on: "2026-07-05", gross: "1200.00", invoice: "INV-P")])
    let settlement = try #require(allocation.settlements.first)
    #expect(settlement.isPrepayment)
    #expect(settlement.daysAfterInvoice == -5)
    #expect(settlement.net == money("1000.00"))
  }

  @Test func overpaymentIsCarriedForwardToTheNextInvoice() throws {
    let first = invoice("INV-1", on: "2026-07-01", net: "1000.00")
    let later = invoice("INV-2", on: "2026-08-01", net: "500.00")
    let overpay = payment("P-1", on: "2026-07-15", gross: "1500.00")
    let alone = try PaymentAllocation(invoices: [first], creditNotes: [], payments: [overpay])
    #expect(alone.unapplied.map(\.gross) == [money("300.00")])
    let both = try PaymentAllocation(
      invoices: [first, later], creditNotes: [], payments: [overpay])
    #expect(both.unapplied.isEmpty)
    #expect(both.settlements.map(\.invoiceNumber) == ["INV-1", "INV-2"])
    #expect(both.settlements[1].gross == money("300.00"))
    #expect(both.settlements[1].net == money("250.00"))
    #expect(both.openInvoices.map(\.gross) == [money("300.00")])
  }

  @Test func creditNoteReducesWhatIsOpenAndMakesFullPaymentAnOverpayment() throws {
    let allocation = try PaymentAllocation(
      invoices: [invoice("INV-1", on: "2026-07-01", net: "1000.00")],
      creditNotes: [creditNote("CN-1", on: "2026-07-20", net: "200.00", invoice: "INV-1")],
      payments: [payment("P-1", on: "2026-07-10", gross: "1200.00")])
    #expect(allocation.credits.map(\.gross) == [money("240.00")])
    #expect(allocation.credits.map(\.net) == [money("200.00")])
    #expect(allocation.settlements.map(\.net) == [money("800.00")])
    #expect(allocation.unapplied.map(\.gross) == [money("240.00")])
    #expect(allocation.unapplied.map(\.kind) == [.payment])
  }

  @Test func unknownAndForeignInvoiceReferencesAreErrors() throws {
    #expect(throws: MechanicsError.unknownInvoice(document: "payment P", invoice: "NOPE")) {
      try PaymentAllocation(
        invoices: [e4Invoice], creditNotes: [],
        payments: [payment("P", on: "2026-07-02", gross: "1.00", invoice: "NOPE")])
    }
    #expect(throws: MechanicsError.dealerMismatch(document: "payment P", invoice: "INV-E4")) {
      try PaymentAllocation(
        invoices: [e4Invoice], creditNotes: [],
        payments: [
          payment("P", dealer: "D-200", on: "2026-07-02", gross: "1.00", invoice: "INV-E4")
        ])
    }
    #expect(throws: MechanicsError.duplicateDocument("payment P")) {
      try PaymentAllocation(
        invoices: [e4Invoice], creditNotes: [],
        payments: [
          payment("P", on: "2026-07-02", gross: "1.00"),
          payment("P", on: "2026-07-03", gross: "1.00"),
        ])
    }
    let error = MechanicsError.invalidDocument("payment P", reason: "amount is not positive")
    #expect(error.code == "E-MECH-DOCUMENT")
    #expect(throws: error) {
      try PaymentAllocation(
        invoices: [e4Invoice], creditNotes: [],
        payments: [payment("P", on: "2026-07-02", gross: "0.00")])
    }
  }

  /// Never settles more than a payment brings or an invoice owes, and every cent of a payment
  /// is either settled or left unapplied; fully settled invoices settle exactly their net.
  @Test func propertyNeverSettlesMoreThanPaidOrOwed() throws {
    var random = SplitMix(state: 42)
    for _ in 0..<2000 {
      let dealers = ["D-1", "D-2"]
      let invoices = (0..<random.int(1...5)).map { index in
        invoice(
          "I\(index)", dealer: dealers[random.int(0...1)], on: "2026-07-\(10 + random.int(0...9))",
          net: "\(random.int(1...100_000)).\(random.int(10...99))",
          vat: ["0.20", "0.10", "0"][random.int(0...2)])
      }
      let notes = (0..<random.int(0...2)).map { index in
        let target = invoices[random.int(0...invoices.count - 1)]
        return creditNote(
          "C\(index)", dealer: target.dealer, on: "2026-07-25", net: "\(random.int(1...30_000)).00",
          invoice: random.int(0...1) == 0 ? target.number : nil)
      }
      let payments = (0..<random.int(0...6)).map { index in
        let reference = random.int(0...2) == 0 ? invoices[random.int(0...invoices.count - 1)] : nil
        return payment(
          "P\(index)", dealer: reference?.dealer ?? dealers[random.int(0...1)],
          on: "2026-07-\(10 + random.int(0...20))",
          gross: "\(random.int(1...90_000)).\(random.int(10...99))",
          invoice: reference?.number)
      }
      let allocation = try PaymentAllocation(
        invoices: invoices, creditNotes: notes, payments: payments)
      for payment in payments {
        let settled = try Money.sum(
          allocation.settlements.filter { $0.paymentID == payment.id }.map(\.gross))
        let left = try Money.sum(
          allocation.unapplied.filter { $0.number == payment.id && $0.kind == .payment }.map(
            \.gross))
        #expect(settled <= payment.grossAmount)
        #expect(try settled.adding(left) == payment.grossAmount)
      }
      for invoice in invoices {
        let settled = try Money.sum(
          allocation.settlements.filter { $0.invoiceNumber == invoice.number }.map(\.gross))
        let credited = try Money.sum(
          allocation.credits.filter { $0.invoiceNumber == invoice.number }.map(\.gross))
        let open = allocation.openInvoices.first { $0.invoiceNumber == invoice.number }
        #expect(try settled.adding(credited).adding(open?.gross ?? .zero) == invoice.grossAmount())
        let net = try Money.sum(
          allocation.settlements.filter { $0.invoiceNumber == invoice.number }.map(\.net))
        let creditedNet = try Money.sum(
          allocation.credits.filter { $0.invoiceNumber == invoice.number }.map(\.net))
        #expect(try net.adding(creditedNet).adding(open?.net ?? .zero) == invoice.netAmount())
      }
      #expect(
        allocation.settlements.allSatisfy { s in
          invoices.first { $0.number == s.invoiceNumber }!.dealer == s.dealer
        })
    }
  }
}
