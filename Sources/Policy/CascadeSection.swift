import PolicyFormat
import Pricing
import RebateCore

/// Decodes `[[cascade.group]]` and `[[cascade.step]]`, then checks the cascade with the engine's
/// own rules (`Cascade.issues`) and reports each issue at the line of the step that causes it.
enum CascadeSection {
  static func decode(
    _ root: TableReader, rounding: PriceRounding, guardrails: Guardrails, tiers: [String],
    limits: ExtraDiscountLimits
  ) -> Cascade? {
    guard let section = root.table("cascade") else { return nil }
    let groupReaders = section.tables(
      "group", required: false, maximumCount: PolicyDecoder.maximumGroups)
    let groups = groupReaders.map(decodeGroup)
    let stepReaders = section.tables("step", maximumCount: Cascade.maximumSteps)
    let steps = stepReaders.map { decodeStep($0, tiers: tiers) }
    section.finish()
    // The engine's rules run on the steps that decoded, so their problems show up too.
    let decoded = steps.indices.filter { steps[$0] != nil }
    let cascade = Cascade(
      steps: decoded.map { steps[$0]! }, groups: groups.compactMap { $0 }, rounding: rounding,
      guardrails: guardrails)
    let issues = cascade.issues
    for issue in issues {
      report(issue, section: section, steps: stepReaders, index: issue.step.map { decoded[$0] })
    }
    let hasExtraStep = cascade.steps.contains { $0.adjustment == .dealerExtra }
    if limits.maximum > .zero && !hasExtraStep && decoded.count == steps.count {
      section.problem(
        .rule, "step",
        "extra_discount allows up to \(Percent.text(limits.maximum)) but no step has terms_extra = true"
      )
      return nil
    }
    let complete = decoded.count == steps.count && groups.allSatisfy { $0 != nil }
    return complete && !steps.isEmpty && issues.isEmpty ? cascade : nil
  }

  static func report(
    _ issue: CascadeIssue, section: TableReader, steps: [TableReader], index: Int?
  ) {
    let code: PolicyProblem.Code
    switch issue.kind {
    case .rule: code = .rule
    case .reference: code = .reference
    case .limit: code = .limit
    }
    let reader = index.map { steps[$0] } ?? section
    reader.problem(code, issue.field, issue.reason)
  }

  static func decodeGroup(_ reader: TableReader) -> StepGroup? {
    let name = reader.string("name")
    let mode: StepGroup.Mode? = reader.choice("mode")
    reader.finish()
    guard let name, let mode else { return nil }
    return StepGroup(name: name, mode: mode)
  }

  static func decodeStep(_ reader: TableReader, tiers: [String]) -> CascadeStep? {
    let name = reader.string("name")
    let adjustment = decodeAdjustment(reader)
    let condition = decodeCondition(reader, tiers: tiers)
    let group = reader.string("group", required: false)
    let groupValid = group != nil || !reader.has("group")
    reader.finish()
    guard let name, let adjustment, let condition, groupValid else { return nil }
    return CascadeStep(name: name, adjustment: adjustment, condition: condition, group: group)
  }

  /// Exactly one of `percent`, `amount_per_unit`, `terms_extra = true`.
  static func decodeAdjustment(_ reader: TableReader) -> StepAdjustment? {
    let kinds = ["percent", "amount_per_unit", "terms_extra"].filter { reader.has($0) }
    guard kinds.count == 1 else {
      let found = kinds.isEmpty ? "none" : kinds.joined(separator: " and ")
      reader.log.report(
        .rule, at: reader.location, path: reader.path,
        "a step needs exactly one of percent, amount_per_unit, terms_extra (found \(found))")
      return nil
    }
    switch kinds[0] {
    case "percent":
      return reader.percent("percent", in: ExactDecimal(-1)...ExactDecimal.one).map { .percent($0) }
    case "amount_per_unit":
      return reader.money("amount_per_unit", allowNegative: true).map { .amountPerUnit($0) }
    default:
      guard let flag = reader.boolean("terms_extra") else { return nil }
      guard flag else {
        reader.problem(.value, "terms_extra", "write terms_extra = true or leave the key out")
        return nil
      }
      return .dealerExtra
    }
  }

  static func decodeCondition(_ reader: TableReader, tiers: [String]) -> StepCondition? {
    let lists = ["tier", "segment", "region", "payment_terms", "category", "brand", "sku"].map {
      ($0, reader.strings($0))
    }
    let minimum = reader.integer("min_quantity", required: false, in: 1...1_000_000_000)
    let maximum = reader.integer("max_quantity", required: false, in: 1...1_000_000_000)
    let from = reader.day("from", required: false)
    let until = reader.day("until", required: false)
    var valid = true
    for (key, values) in lists where reader.has(key) && values == nil { valid = false }
    for (key, value) in [
      ("min_quantity", minimum as Any?), ("max_quantity", maximum), ("from", from),
      ("until", until),
    ]
    where reader.has(key) && value == nil {
      valid = false
    }
    for tier in lists[0].1 ?? [] where !tiers.contains(tier) {
      reader.problem(
        .reference, "tier",
        "tier '\(tier)' is not one of the policy's tiers (\(tiers.joined(separator: ", ")))")
      valid = false
    }
    guard valid else { return nil }
    return StepCondition(
      tiers: lists[0].1, segments: lists[1].1, regions: lists[2].1, paymentTerms: lists[3].1,
      categories: lists[4].1, brands: lists[5].1, skus: lists[6].1,
      minimumQuantity: minimum.map { Int($0) }, maximumQuantity: maximum.map { Int($0) },
      from: from, until: until)
  }
}
