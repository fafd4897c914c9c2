import Mechanics
import RebateCore
import Testing

@Suite struct AccrualTests {
  let q3 = period("2026-Q3")
  let versions = [
    Effective(from: day("2026-01-01"), settings: VolumeBonusSettings(scale: .retroactive(e5Tiers)))
  ]

  @Test func runRateProjectsTheBasisAndTheTierItIsHeadingFor() throws {
    let accrual = try volumeAccrual(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices), versions: versions,
      asOf: day("2026-07-31"))
    #expect(accrual.basisToDate == money("1400000.00"))
    #expect(accrual.earnedToDate == money("14000.00"))
    // 1,400,000.00 × 92 / 31 days.
    #expect(accrual.projectedBasis == money("4154838.71"))
    #expect(accrual.projectedTier == "from 3,000,000.00 → 2.00 %")
    #expect(accrual.projectedBonus == money("83096.77"))
    #expect(accrual.accruedToDate == money("28000.00"))
    #expect(accrual.missingToNextTier == money("1600000.00"))
    #expect(accrual.explanation.formula.hasPrefix("1,400,000.00 × 92 / 31 = 4,154,838.71"))
  }

  @Test func monthlyAccrualsReconcileWithTheFinalSettlement() throws {
    let input = VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices)
    let final = try volumeBonus(input, versions: versions)
    let postings = try monthlyAccrualPostings(input, versions: versions, final: final)
    #expect(postings.map(\.amount) == [money("28000.00"), money("28000.00"), money("28000.00")])
    #expect(postings.map(\.kind) == [.accrual, .accrual, .settlement])
    #expect(try Money.sum(postings.map(\.amount)) == final.amount)
  }

  @Test func aLateCreditNoteLowersOnlyTheLastPosting() throws {
    let note = creditNote("CN-1", on: "2026-09-20", net: "300000.00")
    let input = VolumeBonusInput(
      dealer: "D-100", period: q3, invoices: q3Invoices, creditNotes: [note])
    let final = try volumeBonus(input, versions: versions)
    #expect(final.amount == money("78000.00"))
    let postings = try monthlyAccrualPostings(input, versions: versions, final: final)
    // final − accrued so far = 78,000.00 − 56,000.00.
    #expect(postings.map(\.amount) == [money("28000.00"), money("28000.00"), money("22000.00")])
    #expect(postings.last?.cumulative == final.amount)
  }

  @Test func aFailedConditionReversesTheAccrualAtClose() throws {
    let conditional = [
      Effective(
        from: day("2026-01-01"),
        settings: VolumeBonusSettings(scale: .retroactive(e5Tiers), conditions: [.minimumOrders(5)])
      )
    ]
    let input = VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices)
    let final = try volumeBonus(input, versions: conditional)
    let postings = try monthlyAccrualPostings(input, versions: conditional, final: final)
    #expect(postings.map(\.amount) == [money("28000.00"), money("28000.00"), money("-56000.00")])
  }

  @Test func accrualDayMustBeInsideThePeriod() {
    #expect(throws: MechanicsError.self) {
      try volumeAccrual(
        VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices), versions: versions,
        asOf: day("2026-10-01"))
    }
  }
}
