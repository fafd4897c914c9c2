import Mechanics
import RebateCore

func day(_ text: String) -> Day { try! Day.parse(text) }
func money(_ text: String) -> Money { try! Money.parse(text) }
func rate(_ text: String) -> ExactDecimal { try! ExactDecimal.parse(text) }
func period(_ text: String) -> Period { try! Period.parse(text) }

func line(
  _ net: String, sku: String = "SKU-1", category: String = "boilers", brand: String = "Acme"
) -> DocumentLine {
  DocumentLine(
    sku: sku, category: category, brand: brand, quantity: 1, listPrice: rate(net),
    netUnitPrice: rate(net), netAmount: money(net))
}

func invoice(
  _ number: String, dealer: String = "D-100", on date: String, dueDays: Int = 30,
  vat: String = "0.20", lines: [DocumentLine]
) -> Invoice {
  Invoice(
    number: number, dealer: dealer, day: day(date), dueDay: day(date).adding(days: dueDays),
    vatRate: rate(vat), lines: lines)
}

func invoice(
  _ number: String, dealer: String = "D-100", on date: String, net: String, dueDays: Int = 30,
  vat: String = "0.20"
) -> Invoice {
  invoice(number, dealer: dealer, on: date, dueDays: dueDays, vat: vat, lines: [line(net)])
}

func creditNote(
  _ number: String, dealer: String = "D-100", on date: String, net: String,
  invoice reference: String? = nil, lines: [DocumentLine]? = nil
) -> CreditNote {
  CreditNote(
    number: number, dealer: dealer, day: day(date), vatRate: rate("0.20"),
    lines: lines ?? [line(net)], invoiceNumber: reference)
}

func payment(
  _ id: String, dealer: String = "D-100", on date: String, gross: String, invoice: String? = nil
) -> Payment {
  Payment(id: id, dealer: dealer, day: day(date), grossAmount: money(gross), invoiceNumber: invoice)
}

/// E4: invoice 2026-07-01 net 1,000,000.00 + 20 % VAT, due in 30 days, paid in three parts.
let e4Invoice = invoice("INV-E4", on: "2026-07-01", net: "1000000.00")
let e4Payments = [
  payment("PAY-1", on: "2026-07-08", gross: "480000.00"),
  payment("PAY-2", on: "2026-07-19", gross: "420000.00"),
  payment("PAY-3", on: "2026-08-05", gross: "300000.00"),
]
let e4Schedule = EarlyPaymentSettings(steps: [
  EarlyPaymentStep(maxDaysAfterInvoice: 10, rate: rate("0.02")),
  EarlyPaymentStep(maxDaysAfterInvoice: 20, rate: rate("0.01")),
])

/// E5 tiers: from 1,000,000 → 1 %, from 3,000,000 → 2 %, from 5,000,000 → 3 %.
let e5Tiers = [
  VolumeTier(fromAmount: money("1000000.00"), rate: rate("0.01")),
  VolumeTier(fromAmount: money("3000000.00"), rate: rate("0.02")),
  VolumeTier(fromAmount: money("5000000.00"), rate: rate("0.03")),
]

/// Q3 2026 turnover of 4,200,000.00 in three monthly invoices.
let q3Invoices = [
  invoice("INV-07", on: "2026-07-10", net: "1400000.00"),
  invoice("INV-08", on: "2026-08-10", net: "1400000.00"),
  invoice("INV-09", on: "2026-09-10", net: "1400000.00"),
]

/// Deterministic pseudo-random numbers for property tests (SplitMix64).
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
  }
}
