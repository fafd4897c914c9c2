import RebateCore

/// Percentages are written as strings with a percent sign, `"20%"`, `"-2.5%"`, `"0.125%"`, so a
/// reader never wonders whether `0.2` means 20 % or 0.2 %. They become exact fractions (0.20).
public enum Percent {
  /// Four decimals of a percent are six of a fraction: rates stay exact in a 3-step cascade.
  public static let maximumDecimals = 4

  /// The fraction written as `text`, or the reason it is not a percentage.
  public static func parse(_ text: String) -> Result<ExactDecimal, PercentError> {
    guard text.hasSuffix("%") else {
      return .failure(PercentError(reason: "'\(text)' is not a percentage; write it like \"20%\""))
    }
    let number = String(text.dropLast())
    guard let value = try? ExactDecimal.parse(number) else {
      return .failure(PercentError(reason: "'\(text)' is not a percentage; write it like \"20%\""))
    }
    guard value.scale <= maximumDecimals else {
      return .failure(
        PercentError(reason: "'\(text)' has more than \(maximumDecimals) decimals"))
    }
    return .success(ExactDecimal(units: value.units, scale: value.scale + 2))
  }

  /// The way a policy writes a fraction: 0.2 → "20%", -0.025 → "-2.5%".
  public static func text(_ fraction: ExactDecimal) -> String {
    // A policy fraction has at most six decimals, so ×100 fits and is exact.
    let percent = (try! fraction.multiplied(by: ExactDecimal(100))).normalized
    return percent.description + "%"
  }
}

public struct PercentError: Error, Sendable, Equatable {
  public let reason: String
}
