import RebateCore

/// "2.00 %": how rates and shares appear in explanations.
func percentLabel(_ fraction: ExactDecimal) -> String { fraction.percentText(decimals: 2) + " %" }

/// "400,000.00 × 2.00 % = 8,000.00"
/// The rate comes labelled (`percentLabel`): loops over settlements label each rate once.
func productLabel(_ base: Money, rateLabel: String, _ result: Money) -> String {
  base.grouped + " × " + rateLabel + " = " + result.grouped
}

/// A fraction `numerator / denominator` rounded half-up to `scale` decimals; nil for a zero
/// denominator, where the ratio means nothing.
func ratio(_ numerator: Money, _ denominator: Money, scale: Int) throws -> ExactDecimal? {
  guard denominator.minor != 0 else { return nil }
  return try numerator.exact.divided(by: denominator.exact, scale: scale, .halfUp)
}

func validateRate(_ rate: ExactDecimal, place: String) throws(MechanicsError) {
  guard !rate.isNegative, rate <= .one else {
    throw .invalidSettings(place, reason: "rate \(rate) is outside 0...1")
  }
}
