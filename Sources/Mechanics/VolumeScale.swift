import RebateCore

/// A part of the basis and the rate it earns.
struct ScaleSlice {
  let base: Money
  let rate: ExactDecimal
}

/// What a basis reaches on a scale: the slices to pay and a label of the tier for people.
struct ScaleOutcome {
  let slices: [ScaleSlice]
  let reached: String
}

extension VolumeScale {
  func validate(place: String) throws(MechanicsError) {
    switch self {
    case .retroactive(let tiers), .incremental(let tiers):
      guard !tiers.isEmpty else { throw .invalidSettings(place, reason: "no tiers") }
      try MechanicsLimits.check(tiers.count, place, limit: MechanicsLimits.maxRules)
      for (lower, upper) in zip(tiers, tiers.dropFirst()) where lower.fromAmount >= upper.fromAmount
      {
        throw .invalidSettings(place, reason: "tier thresholds must increase")
      }
      guard tiers[0].fromAmount.minor >= 0 else {
        throw .invalidSettings(place, reason: "negative tier threshold")
      }
      for tier in tiers { try validateRate(tier.rate, place: place) }
    case .planAttainment(let steps):
      guard !steps.isEmpty else { throw .invalidSettings(place, reason: "no steps") }
      try MechanicsLimits.check(steps.count, place, limit: MechanicsLimits.maxRules)
      for (lower, upper) in zip(steps, steps.dropFirst())
      where lower.fromAttainment >= upper.fromAttainment {
        throw .invalidSettings(place, reason: "attainment steps must increase")
      }
      for step in steps { try validateRate(step.rate, place: place) }
    }
  }

  var tiers: [VolumeTier] {
    switch self {
    case .retroactive(let tiers), .incremental(let tiers): return tiers
    case .planAttainment: return []
    }
  }

  /// The threshold of the first tier above `basis`; nil at the top or for plan attainment.
  func nextThreshold(above basis: Money) -> Money? {
    tiers.first { $0.fromAmount > basis }?.fromAmount
  }

  func outcome(basis: Money, target: Money?) throws -> ScaleOutcome {
    switch self {
    case .retroactive(let tiers):
      guard let tier = tiers.last(where: { $0.fromAmount <= basis }) else {
        return ScaleOutcome(
          slices: [ScaleSlice(base: basis, rate: .zero)],
          reached: "below the first tier \(tiers[0].fromAmount.grouped)")
      }
      return ScaleOutcome(
        slices: [ScaleSlice(base: basis, rate: tier.rate)],
        reached: "from \(tier.fromAmount.grouped) → \(percentLabel(tier.rate))")
    case .incremental(let tiers):
      var slices: [ScaleSlice] = []
      for (index, tier) in tiers.enumerated() where tier.fromAmount < basis {
        let top = index + 1 < tiers.count ? min(basis, tiers[index + 1].fromAmount) : basis
        slices.append(ScaleSlice(base: try top.subtracting(tier.fromAmount), rate: tier.rate))
      }
      guard let top = tiers.last(where: { $0.fromAmount < basis }) else {
        return ScaleOutcome(
          slices: [ScaleSlice(base: basis, rate: .zero)],
          reached: "below the first tier \(tiers[0].fromAmount.grouped)")
      }
      return ScaleOutcome(
        slices: slices, reached: "up to the tier from \(top.fromAmount.grouped) (incremental)")
    case .planAttainment(let steps):
      guard let target, target.minor > 0 else {
        throw MechanicsError.missingInput(
          "plan attainment", reason: "the dealer has no positive target")
      }
      let attainment = try basis.exact.divided(by: target.exact, scale: 6, .halfUp)
      let rate = steps.last { $0.fromAttainment <= attainment }?.rate ?? .zero
      return ScaleOutcome(
        slices: [ScaleSlice(base: basis, rate: rate)],
        reached:
          "attainment \(percentLabel(attainment)) of target \(target.grouped) → \(percentLabel(rate))"
      )
    }
  }
}
