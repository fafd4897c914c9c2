import Mechanics
import RebateCore
import Testing

@Suite struct FingerprintTests {
  func periodLines() throws -> [ResultLine] {
    let q3 = period("2026-Q3")
    let allocation = try PaymentAllocation(
      invoices: [e4Invoice], creditNotes: [], payments: e4Payments)
    let early = try earlyPaymentRebate(
      settlements: allocation.settlements, period: q3, settings: e4Schedule)
    let volume = try volumeBonus(
      VolumeBonusInput(dealer: "D-100", period: q3, invoices: q3Invoices),
      settings: VolumeBonusSettings(scale: .incremental(e5Tiers)))
    return early + [volume]
  }

  @Test func sameInputsGiveByteIdenticalTextWhateverTheOrder() throws {
    let lines = try periodLines()
    let again = try periodLines()
    #expect(Fingerprint.canonicalText(lines) == Fingerprint.canonicalText(again.reversed()))
    #expect(Fingerprint.sha256(lines) == Fingerprint.sha256(again.reversed()))
    #expect(Fingerprint.sha256(lines).count == 64)
    let text = Fingerprint.canonicalText(lines)
    #expect(text.hasPrefix("D-100|2026-Q3|early_payment|11500.00|"))
    #expect(text.split(separator: "\n").count == 2)
  }

  @Test func oneCentOrOneSeparatorChangesTheFingerprint() throws {
    let lines = try periodLines()
    let volume = lines[1]
    let cent = ResultLine(
      dealer: volume.dealer, period: volume.period, mechanic: volume.mechanic,
      amount: Money(minor: volume.amount.minor + 1), explanation: volume.explanation)
    #expect(Fingerprint.sha256([lines[0], cent]) != Fingerprint.sha256(lines))
    let plain = Explanation(
      rule: "r", inputs: [ExplanationInput("a", "b|c")], formula: "f", sources: [])
    let split = Explanation(
      rule: "r", inputs: [ExplanationInput("a", "b"), ExplanationInput("c", "")], formula: "f",
      sources: [])
    func line(_ explanation: Explanation) -> ResultLine {
      ResultLine(
        dealer: "D", period: period("2026-Q3"), mechanic: "m", amount: .zero,
        explanation: explanation)
    }
    #expect(Fingerprint.canonicalText([line(plain)]) != Fingerprint.canonicalText([line(split)]))
    #expect(Fingerprint.canonicalText([line(plain)]) == "D|2026-Q3|m|0.00|r|f||a=b\\|c\n")
  }
}
