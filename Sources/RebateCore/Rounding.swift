/// How an exact value is brought to a fixed number of decimals. Half-up means half away from
/// zero (the accounting convention); half-even is the banker's rounding a policy may choose.
public enum RoundingMode: String, Sendable, Hashable, CaseIterable {
  case halfUp = "half_up"
  case halfEven = "half_even"
}

/// Divides `numerator` by a positive `denominator` and rounds the quotient to an integer.
/// Shared by every rounding in the engine so that half-up and half-even mean one thing.
@inlinable
public func roundedQuotient(_ numerator: Int128, _ denominator: Int128, _ mode: RoundingMode)
  -> Int128
{
  precondition(denominator > 0, "rounding divides by a positive denominator")
  let quotient = numerator / denominator
  let remainder = numerator % denominator
  if remainder == 0 { return quotient }
  let twiceRemainder = remainder.magnitude * 2
  let away: Int128 = numerator < 0 ? -1 : 1
  if twiceRemainder > denominator.magnitude { return quotient + away }
  if twiceRemainder < denominator.magnitude { return quotient }
  switch mode {
  case .halfUp: return quotient + away
  case .halfEven: return quotient % 2 == 0 ? quotient : quotient + away
  }
}
