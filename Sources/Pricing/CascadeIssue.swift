import RebateCore

/// A reason a cascade cannot be compiled, naming the step (0-based index) and the field, so the
/// policy decoder can point at the line that holds it.
public struct CascadeIssue: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// Parts of the cascade contradict each other or a value is out of range.
    case rule
    /// A name refers to nothing (an undeclared group).
    case reference
    /// More of something than the engine accepts.
    case limit
  }

  public let step: Int?
  public let field: String
  public let reason: String
  public var kind: Kind = .rule

  public var description: String {
    (step.map { "step \($0 + 1) " } ?? "") + "\(field): \(reason)"
  }
}

extension Cascade {
  public static let maximumSteps = 1_000
  /// Group members are tracked in a 64-bit set per quote, which keeps quoting allocation-free.
  public static let maximumGroupSize = 64
  /// Attribute values are bits of a 64-bit set; one bit is kept for "not named by the policy".
  public static let maximumValuesPerAttribute = 63
  /// Rates are exact millionths, so a percent may have at most four decimals.
  public static let maximumRateScale = 6

  /// Every reason this cascade cannot be compiled; empty when it can.
  public var issues: [CascadeIssue] {
    var issues: [CascadeIssue] = []
    if steps.count > Self.maximumSteps {
      issues.append(
        CascadeIssue(
          step: nil, field: "step", reason: "at most \(Self.maximumSteps) steps", kind: .limit))
    }
    issues += stepIssues + groupIssues + vocabularyIssues
    return issues
  }

  private var stepIssues: [CascadeIssue] {
    var issues: [CascadeIssue] = []
    for (index, step) in steps.enumerated() {
      if case .percent(let rate) = step.adjustment {
        if rate.normalized.scale > Self.maximumRateScale {
          issues.append(CascadeIssue(step: index, field: "percent", reason: "more than 4 decimals"))
        }
        if rate >= .one || rate <= ExactDecimal(-1) {
          issues.append(
            CascadeIssue(
              step: index, field: "percent", reason: "must be above -100% and below 100%"))
        }
      }
      if let low = step.condition.minimumQuantity, let high = step.condition.maximumQuantity,
        low > high
      {
        issues.append(
          CascadeIssue(
            step: index, field: "max_quantity", reason: "max_quantity \(high) < min_quantity \(low)"
          ))
      }
      if let from = step.condition.from, let until = step.condition.until, until < from {
        issues.append(
          CascadeIssue(step: index, field: "until", reason: "until \(until) is before from \(from)")
        )
      }
    }
    return issues
  }

  private var groupIssues: [CascadeIssue] {
    var issues: [CascadeIssue] = []
    var seenNames: Set<String> = []
    for group in groups where !seenNames.insert(group.name).inserted {
      issues.append(
        CascadeIssue(step: nil, field: "group", reason: "group '\(group.name)' is declared twice"))
    }
    var closed: Set<String> = []
    var previous: String?
    var sizes: [String: Int] = [:]
    for (index, step) in steps.enumerated() {
      defer { previous = step.group }
      if let last = previous, last != step.group { closed.insert(last) }
      guard let name = step.group else { continue }
      guard let group = groups.first(where: { $0.name == name }) else {
        issues.append(
          CascadeIssue(
            step: index, field: "group", reason: "group '\(name)' is not declared",
            kind: .reference))
        continue
      }
      if previous != name && closed.contains(name) {
        issues.append(
          CascadeIssue(
            step: index, field: "group",
            reason: "steps of group '\(name)' must be written next to each other"))
      }
      sizes[name, default: 0] += 1
      if sizes[name] == Self.maximumGroupSize + 1 {
        issues.append(
          CascadeIssue(
            step: index, field: "group", reason: "at most \(Self.maximumGroupSize) steps per group",
            kind: .limit))
      }
      switch (group.mode, step.adjustment) {
      case (_, .dealerExtra):
        issues.append(
          CascadeIssue(
            step: index, field: "group", reason: "the dealer's extra discount cannot be grouped"))
      case (.additive, .amountPerUnit):
        issues.append(
          CascadeIssue(
            step: index, field: "group", reason: "an additive group adds percentages only"))
      default: break
      }
    }
    return issues
  }

  private var vocabularyIssues: [CascadeIssue] {
    let fields: [(String, KeyPath<StepCondition, [String]?>)] = [
      ("tier", \.tiers), ("segment", \.segments), ("region", \.regions),
      ("payment_terms", \.paymentTerms), ("category", \.categories), ("brand", \.brands),
    ]
    return fields.compactMap { field, path in
      let values = Set(steps.flatMap { $0.condition[keyPath: path] ?? [] })
      guard values.count > Self.maximumValuesPerAttribute else { return nil }
      return CascadeIssue(
        step: nil, field: field,
        reason:
          "the cascade names \(values.count) values; at most \(Self.maximumValuesPerAttribute)",
        kind: .limit)
    }
  }
}
