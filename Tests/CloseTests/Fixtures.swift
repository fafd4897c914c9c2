import Close
import Mechanics
import Policy
import RebateCore
import SellOut

func day(_ text: String) -> Day { try! Day.parse(text) }
func money(_ text: String) -> Money { try! Money.parse(text) }
func rate(_ text: String) -> ExactDecimal { try! ExactDecimal.parse(text) }
func period(_ text: String) -> Period { try! Period.parse(text) }

let q3 = period("2026-Q3")
let q4 = period("2026-Q4")

func line(_ net: String, sku: String = "BOILER", quantity: Int64 = 1, category: String = "boilers")
  -> DocumentLine
{
  let unit = try! money(net).exact.divided(by: ExactDecimal(Int(quantity)), scale: 2, .halfUp)
  return DocumentLine(
    sku: sku, category: category, brand: "Acme", quantity: quantity, listPrice: unit,
    netUnitPrice: unit, netAmount: money(net))
}

func invoice(
  _ number: String, dealer: String = "D-100", on date: String, lines: [DocumentLine]
) -> Invoice {
  Invoice(
    number: number, dealer: dealer, day: day(date), dueDay: day(date).adding(days: 30),
    vatRate: rate("0.20"), lines: lines)
}

func invoice(_ number: String, dealer: String = "D-100", on date: String, net: String) -> Invoice {
  invoice(number, dealer: dealer, on: date, lines: [line(net)])
}

func payment(
  _ id: String, dealer: String = "D-100", on date: String, gross: String, invoice: String? = nil
) -> Payment {
  Payment(id: id, dealer: dealer, day: day(date), grossAmount: money(gross), invoiceNumber: invoice)
}

func creditNote(_ number: String, dealer: String = "D-100", on date: String, net: String)
  -> CreditNote
{
  CreditNote(
    number: number, dealer: dealer, day: day(date), vatRate: rate("0.20"), lines: [line(net)])
}

/// E4: invoice 2026-07-01 net 1,000,000.00 + 20 % VAT, paid in three parts.
let e4Invoice = invoice("INV-E4", on: "2026-07-01", net: "1000000.00")
func e4Payments(dealer: String = "D-100", reference: String? = nil) -> [Payment] {
  [
    payment("PAY-1", dealer: dealer, on: "2026-07-08", gross: "480000.00", invoice: reference),
    payment("PAY-2", dealer: dealer, on: "2026-07-19", gross: "420000.00", invoice: reference),
    payment("PAY-3", dealer: dealer, on: "2026-08-05", gross: "300000.00", invoice: reference),
  ]
}

let e4Schedule = EarlyPaymentSettings(steps: [
  EarlyPaymentStep(maxDaysAfterInvoice: 10, rate: rate("0.02")),
  EarlyPaymentStep(maxDaysAfterInvoice: 20, rate: rate("0.01")),
])

/// E11's example policy: A if ≥ 95 % by due date and ≤ 1 weighted day late; B if ≥ 80 %; else C.
let e11Grades = PaymentDisciplineSettings(
  rules: [
    GradeRule(grade: "A", minPaidByDueShare: rate("0.95"), maxWeightedDaysLate: rate("1")),
    GradeRule(grade: "B", minPaidByDueShare: rate("0.80")),
  ], fallbackGrade: "C")

/// E5 tiers: from 1,000,000 → 1 %, from 3,000,000 → 2 %, from 5,000,000 → 3 %.
let e5Tiers = [
  VolumeTier(fromAmount: money("1000000.00"), rate: rate("0.01")),
  VolumeTier(fromAmount: money("3000000.00"), rate: rate("0.02")),
  VolumeTier(fromAmount: money("5000000.00"), rate: rate("0.03")),
]

/// Q3 2026 turnover of 4,200,000.00 in three monthly invoices.
func q3Invoices(dealer: String = "D-100") -> [Invoice] {
  [
    invoice("\(dealer)-INV-07", dealer: dealer, on: "2026-07-10", net: "1400000.00"),
    invoice("\(dealer)-INV-08", dealer: dealer, on: "2026-08-10", net: "1400000.00"),
    invoice("\(dealer)-INV-09", dealer: dealer, on: "2026-09-10", net: "1400000.00"),
  ]
}

func settings(
  early: EarlyPaymentSettings? = nil, grades: PaymentDisciplineSettings? = nil,
  volume: VolumeBonusSettings? = nil, reporting: ReportingBonusSettings? = nil,
  protection: PriceProtectionSettings? = nil, cap: String? = nil,
  eligibility: [String: MechanicEligibility] = [:]
) -> CloseSettings {
  CloseSettings(
    offInvoice: OffInvoiceSettings(
      earlyPayment: early, paymentDiscipline: grades, volumeBonus: volume,
      reportingBonus: reporting, priceProtection: protection, eligibility: eligibility),
    budgetCap: cap.map(rate), policyReference: "test-2026 v1")
}

func profile(_ dealer: String = "D-100", segment: String = "retail") -> DealerProfile {
  DealerProfile(dealer: dealer, segment: segment)
}

/// Deterministic shuffling for order-independence tests (SplitMix64).
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
