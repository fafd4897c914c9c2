import Mechanics
import RebateCore
import Testing

@Suite struct VolumeBonusTests {
  let q3 = period("2026-Q3")

  @Test func e5RetroactiveAppliesTheTierReachedToTheWholeBasis() throws {
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices),
      settings: VolumeBonusSettings(scale: .retroactive(e5Tiers)))
    #expect(line.amount == money("84000.00"))
    #expect(line.explanation.formula == "4,200,000.00 × 2.00 % = 84,000.00")
    #expect(line.explanation.sources.map(\.number) == ["INV-07", "INV-08", "INV-09"])
  }

  @Test func e5IncrementalPaysEachSliceAtItsOwnRate() throws {
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices),
      settings: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    #expect(line.amount == money("44000.00"))
    #expect(line.explanation.formula.hasSuffix("= 20,000.00 + 24,000.00 = 44,000.00"))
  }

  @Test func e6GrowthBelowTenPercentPaysNothingAndSaysWhy() throws {
    let lastYear = invoice("INV-2025", on: "2025-08-01", net: "4000000.00")
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices + [lastYear]),
      settings: VolumeBonusSettings(
        scale: .retroactive(e5Tiers), conditions: [.growth(minimum: rate("0.10"))]))
    #expect(line.amount == money("0.00"))
    let note = try #require(line.explanation.note)
    #expect(note.hasPrefix("growth 5.00 % < required 10.00 %"))
    #expect(note.contains("4,400,000.00"))
  }

  @Test func growthOfTenPercentOrMorePays() throws {
    let lastYear = invoice("INV-2025", on: "2025-08-01", net: "3800000.00")
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices + [lastYear]),
      settings: VolumeBonusSettings(
        scale: .retroactive(e5Tiers), conditions: [.growth(minimum: rate("0.10"))]))
    #expect(line.amount == money("84000.00"))
    #expect(line.explanation.note == nil)
  }

  @Test func creditNotesDatedInThePeriodReduceTheBasis() throws {
    let note = creditNote("CN-1", on: "2026-09-20", net: "300000.00")
    let outside = creditNote("CN-0", on: "2026-10-02", net: "999.00")
    let line = try volumeBonus(
      VolumeBonusInput(
        dealer: "D-100", period: q3, invoices: q3Invoices, creditNotes: [note, outside]),
      settings: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    #expect(line.amount == money("38000.00"))
    #expect(line.explanation.inputs.first?.value == "3,900,000.00")
    #expect(line.explanation.sources.last?.number == "CN-1")
  }

  @Test func otherDealersAndOtherPeriodsDoNotCount() throws {
    let foreign = invoice("INV-X", dealer: "D-200", on: "2026-07-15", net: "900000.00")
    let early = invoice("INV-Y", on: "2026-06-30", net: "900000.00")
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices + [foreign, early]),
      settings: VolumeBonusSettings(scale: .retroactive(e5Tiers)))
    #expect(line.amount == money("84000.00"))
  }

  @Test func productGroupRestrictsTheBasis() throws {
    let mixed = invoice(
      "INV-M", on: "2026-07-05",
      lines: [
        line("2500000.00", sku: "B-1", category: "boilers"),
        line("1000000.00", sku: "P-1", category: "pumps"),
        line("700000.00", sku: "V-1", category: "valves", brand: "Flux"),
      ])
    let restricted = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: [mixed]),
      settings: VolumeBonusSettings(
        scale: .retroactive(e5Tiers),
        productGroup: ProductGroup(categories: ["boilers"], brands: ["Flux"])))
    #expect(restricted.explanation.inputs.first?.value == "3,200,000.00")
    #expect(restricted.amount == money("64000.00"))
    #expect(restricted.explanation.rule.contains("categories boilers; brands Flux"))
  }

  @Test func paidOnlyBasisCountsWhatWasPaidOrCreditedByTheCutOff() throws {
    let invoices = [
      invoice("INV-1", on: "2026-07-01", net: "2000000.00"),
      invoice("INV-2", on: "2026-09-01", net: "2000000.00"),
    ]
    let note = creditNote("CN-1", on: "2026-09-15", net: "500000.00", invoice: "INV-2")
    let payments = [
      payment("P-1", on: "2026-07-20", gross: "2400000.00", invoice: "INV-1"),
      // Half of what INV-2 still owes after the credit note, within the 15-day cut-off...
      payment("P-2", on: "2026-10-10", gross: "900000.00", invoice: "INV-2"),
      // ...and the rest after it.
      payment("P-3", on: "2026-10-20", gross: "900000.00", invoice: "INV-2"),
    ]
    let allocation = try PaymentAllocation(
      invoices: invoices, creditNotes: [note], payments: payments)
    let settings = VolumeBonusSettings(
      scale: .retroactive(e5Tiers), paidOnly: PaidOnlyBasis(cutoffDaysAfterPeriodEnd: 15))
    let input = VolumeBonusInput(
      dealer: "D-100", period: q3, invoices: invoices, creditNotes: [note], allocation: allocation)
    let line = try volumeBonus(input, settings: settings)
    // INV-1 fully paid 2,000,000; INV-2 covered 500,000 credited + 750,000 paid = 62.5 % →
    // 1,250,000; less the credit note 500,000 → 2,750,000.00 → tier 1 %.
    #expect(line.explanation.inputs.first?.value == "2,750,000.00")
    #expect(line.amount == money("27500.00"))
    var noAllocation = input
    noAllocation.allocation = nil
    #expect(throws: MechanicsError.self) { try volumeBonus(noAllocation, settings: settings) }
  }

  @Test func planAttainmentPicksTheRateByShareOfTarget() throws {
    let steps = [
      AttainmentStep(fromAttainment: rate("0.90"), rate: rate("0.01")),
      AttainmentStep(fromAttainment: rate("1.00"), rate: rate("0.02")),
      AttainmentStep(fromAttainment: rate("1.10"), rate: rate("0.03")),
    ]
    let settings = VolumeBonusSettings(scale: .planAttainment(steps))
    let onPlan = try volumeBonus(
      VolumeBonusInput(
        dealer: "D-100", period: q3, invoices: q3Invoices, target: money("4000000.00")),
      settings: settings)
    #expect(onPlan.amount == money("84000.00"))
    #expect(
      onPlan.explanation.inputs.contains {
        $0.value.hasPrefix("attainment 105.00 % of target 4,000,000.00")
      })
    let short = try volumeBonus(
      VolumeBonusInput(
        dealer: "D-100", period: q3, invoices: q3Invoices, target: money("5000000.00")),
      settings: settings)
    #expect(short.amount == money("0.00"))
    #expect(
      throws: MechanicsError.missingInput(
        "plan attainment", reason: "the dealer has no positive target")
    ) {
      try volumeBonus(
        VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices), settings: settings)
    }
  }

  @Test func focusProductsHaveTheirOwnBasisAndRate() throws {
    let mixed = invoice(
      "INV-F", on: "2026-08-05",
      lines: [
        line("100000.00", sku: "NEW-1"), line("900000.00", sku: "OLD-1"),
        line("50000.00", sku: "NEW-2"),
      ])
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: [mixed]),
      settings: .focusProducts(group: ProductGroup(skus: ["NEW-1", "NEW-2"]), rate: rate("0.05")))
    #expect(line.mechanic == "focus_products")
    #expect(line.amount == money("7500.00"))
    #expect(line.explanation.formula == "150,000.00 × 5.00 % = 7,500.00")
  }

  @Test func orderFrequencyRequiresEnoughInvoices() throws {
    let settings = VolumeBonusSettings(
      scale: .retroactive(e5Tiers), conditions: [.minimumOrders(4)])
    let three = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices), settings: settings)
    #expect(three.amount == money("0.00"))
    #expect(three.explanation.note == "3 orders < required 4")
    let four = try volumeBonus(
      VolumeBonusInput(
        dealer: "D-100", period: q3,
        invoices: q3Invoices + [invoice("INV-10", on: "2026-09-29", net: "10.00")]),
      settings: settings)
    #expect(four.amount == money("84000.20"))
  }

  @Test func midPeriodRateChangeSplitsTheBasisAtItsDate() throws {
    let raised = [
      VolumeTier(fromAmount: money("1000000.00"), rate: rate("0.015")),
      VolumeTier(fromAmount: money("3000000.00"), rate: rate("0.025")),
      VolumeTier(fromAmount: money("5000000.00"), rate: rate("0.035")),
    ]
    let versions = [
      Effective(
        from: day("2026-01-01"), settings: VolumeBonusSettings(scale: .retroactive(e5Tiers))),
      Effective(
        from: day("2026-08-15"), settings: VolumeBonusSettings(scale: .retroactive(raised))),
    ]
    let invoices = [
      invoice("INV-A", on: "2026-07-10", net: "2000000.00"),
      invoice("INV-B", on: "2026-08-14", net: "500000.00"),
      invoice("INV-C", on: "2026-08-15", net: "1700000.00"),
    ]
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: invoices), versions: versions)
    // Tier by the whole 4,200,000.00: 2,500,000.00 × 2 % + 1,700,000.00 × 2.5 %.
    #expect(line.amount == money("92500.00"))
    #expect(
      line.explanation.formula.contains("2026-07-01…2026-08-14: 2,500,000.00 × 2.00 % = 50,000.00"))
    #expect(
      line.explanation.formula.contains("2026-08-15…2026-09-30: 1,700,000.00 × 2.50 % = 42,500.00"))
    let incremental = [
      Effective(
        from: day("2026-01-01"), settings: VolumeBonusSettings(scale: .incremental(e5Tiers))),
      Effective(
        from: day("2026-08-15"), settings: VolumeBonusSettings(scale: .incremental(raised))),
    ]
    let split = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: invoices), versions: incremental)
    // Each version's slices at the whole basis, scaled by its part and rounded slice by slice:
    // 20,000.00 × 2.5/4.2 = 11,904.76 + 24,000.00 × 2.5/4.2 = 14,285.71,
    // 30,000.00 × 1.7/4.2 = 12,142.86 twice → 26,190.47 + 24,285.72 = 50,476.19.
    #expect(split.amount == money("50476.19"))
    #expect(throws: MechanicsError.self) {
      try volumeBonus(
        VolumeBonusInput(dealer: "D-100", period: q3, invoices: invoices),
        versions: Array(versions.suffix(1)))
    }
  }

  @Test func halfEvenAndHalfUpDifferOnTheBonus() throws {
    // 1,000,250.50 × 1 % = 10,002.505.
    let invoices = [invoice("INV-H", on: "2026-07-01", net: "1000250.50")]
    let up = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: invoices),
      settings: VolumeBonusSettings(scale: .retroactive(e5Tiers)))
    let even = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: invoices),
      settings: VolumeBonusSettings(scale: .retroactive(e5Tiers), rounding: .halfEven))
    #expect(up.amount == money("10002.51"))
    #expect(even.amount == money("10002.50"))
  }

  @Test func belowTheFirstTierPaysNothingAndTiersMustIncrease() throws {
    let line = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: [q3Invoices[0]]),
      settings: VolumeBonusSettings(scale: .retroactive(Array(e5Tiers.dropFirst()))))
    #expect(line.amount == money("0.00"))
    #expect(line.explanation.inputs.contains { $0.value == "below the first tier 3,000,000.00" })
    #expect(
      throws: MechanicsError.invalidSettings(
        "volume_bonus.scale", reason: "tier thresholds must increase")
    ) {
      try VolumeBonusSettings(scale: .incremental(e5Tiers.reversed())).validate()
    }
  }
}
