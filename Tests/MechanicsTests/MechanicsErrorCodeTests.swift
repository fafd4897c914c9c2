import Mechanics
import RebateCore
import Testing

/// Each mechanics error code of docs/errors.md, produced by a real refusal and compared by code,
/// so the catalogue's stable codes cannot drift from the cases that carry them.
@Suite struct MechanicsErrorCodeTests {
  func code(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as MechanicsError {
      return error.code
    } catch {
      return "not a MechanicsError: \(error)"
    }
  }

  @Test func referencesAndDuplicates() {
    #expect(
      code {
        _ = try PaymentAllocation(
          invoices: [e4Invoice], creditNotes: [],
          payments: [payment("P", on: "2026-07-02", gross: "1.00", invoice: "NOPE")])
      } == "E-MECH-UNKNOWN-INVOICE")
    #expect(
      code {
        _ = try PaymentAllocation(
          invoices: [e4Invoice], creditNotes: [],
          payments: [
            payment("P", dealer: "D-200", on: "2026-07-02", gross: "1.00", invoice: "INV-E4")
          ])
      } == "E-MECH-DEALER-MISMATCH")
    #expect(
      code {
        _ = try PaymentAllocation(
          invoices: [e4Invoice, e4Invoice], creditNotes: [], payments: [])
      } == "E-MECH-DUPLICATE")
  }

  @Test func settingsLimitsAndInputs() {
    #expect(
      code { try VolumeBonusSettings(scale: .incremental(e5Tiers.reversed())).validate() }
        == "E-MECH-SETTINGS")
    let tooManyTiers = (0...MechanicsLimits.maxRules).map {
      VolumeTier(fromAmount: Money(minor: Int64($0) * 100), rate: rate("0.01"))
    }
    #expect(tooManyTiers.count == 101)
    #expect(
      code { try VolumeBonusSettings(scale: .incremental(tooManyTiers)).validate() }
        == "E-MECH-LIMIT")
    let plan = VolumeBonusSettings(
      scale: .planAttainment([AttainmentStep(fromAttainment: rate("1.00"), rate: rate("0.02"))]))
    #expect(
      code {
        _ = try volumeBonus(
          VolumeBonusInput(dealer: "D-100", period: period("2026-Q3"), invoices: q3Invoices),
          settings: plan)
      } == "E-MECH-INPUT")
  }

  @Test func anAmountWithNoLinesToSpreadOver() {
    let bonus = ResultLine(
      dealer: "D-300", period: period("2026-Q3"), mechanic: "volume_bonus",
      amount: money("1.00"),
      explanation: Explanation(rule: "volume bonus", inputs: [], formula: "1.00", sources: []))
    #expect(
      code { _ = try allocateToInvoiceLines(bonus, invoices: q3Invoices) }
        == "E-MECH-EMPTY-BASIS")
  }
}
