import Mechanics
import PolicyFormat
import Pricing
import RebateCore
import SellOut

/// Every problem of a policy file, in file order.
public struct PolicyProblems: Error, Sendable, CustomStringConvertible {
  public let problems: [PolicyProblem]

  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads a policy file into a `CommercialPolicy`, collecting every problem (see docs/policies.md
/// for the format and the meaning of each key).
public enum PolicyDecoder {
  public static let maximumTiers = 20
  public static let maximumGroups = 100

  public static func decode(_ text: String, file: String) -> Result<
    CommercialPolicy, PolicyProblems
  > {
    let log = ProblemLog(file: file)
    let root = TableReader(DocumentParser.parse(text, log: log), path: "", log: log)
    let policy = decode(root)
    root.finish()
    guard log.problems.isEmpty, let policy else {
      return .failure(PolicyProblems(problems: log.sorted))
    }
    return .success(policy)
  }

  static func decode(_ root: TableReader) -> CommercialPolicy? {
    let header = root.table("policy")
    let id = header.flatMap(policyID)
    let version = header?.integer("version", in: 1...1_000_000)
    let name = header?.string("name")
    let effectiveFrom = header?.day("effective_from")
    let grain: Period.Grain? = header?.choice("period")
    let tiers = header?.strings("tiers", required: true, maximumCount: maximumTiers)
    header?.finish()
    let rounding = decodeRounding(root)
    let guardrails = decodeGuardrails(root)
    let limits = decodeExtraDiscount(root)
    let budgetCap = decodeBudget(root)
    let cascade = CascadeSection.decode(
      root, rounding: rounding ?? PriceRounding(), guardrails: guardrails ?? .none,
      tiers: tiers ?? [], limits: limits ?? .none)
    let offInvoice = OffInvoiceSections.decode(root, rounding: rounding?.mode ?? .halfUp)
    guard let id, let version, let name, let effectiveFrom, let grain, let tiers, let cascade,
      let limits, let offInvoice, rounding != nil, guardrails != nil, root.log.problems.isEmpty
    else { return nil }
    return CommercialPolicy(
      id: id, version: Int(version), name: name, effectiveFrom: effectiveFrom,
      periodGrain: grain, tiers: tiers, cascade: cascade, extraDiscount: limits,
      budgetCap: budgetCap, offInvoice: offInvoice)
  }

  /// The policy's `id` is a code like a dealer's: the identifier grammar, so a policy named in a
  /// close, the terms and the database is one policy by its bytes.
  static func policyID(_ header: TableReader) -> String? {
    guard let text = header.string("id") else { return nil }
    if let reason = Identifier.problem(in: text) {
      header.problem(
        .value, "id", "'\(Identifier.printable(text))' \(reason) (\(IdentifierError.code))")
      return nil
    }
    return text
  }

  /// `[rounding]`, optional: per_unit and half_up when absent (E2's default).
  static func decodeRounding(_ root: TableReader) -> PriceRounding? {
    guard let section = root.table("rounding", required: false) else { return PriceRounding() }
    let point: PriceRounding.Point? = section.choice("point", required: false)
    let mode: RoundingMode? = section.choice("mode", required: false)
    let valid = !(section.has("point") && point == nil) && !(section.has("mode") && mode == nil)
    section.finish()
    return valid ? PriceRounding(point: point ?? .perUnit, mode: mode ?? .halfUp) : nil
  }

  /// `[guardrails]`, optional: no floors when absent.
  static func decodeGuardrails(_ root: TableReader) -> Guardrails? {
    guard let section = root.table("guardrails", required: false) else { return Guardrails.none }
    let discount = section.percent("max_total_discount", required: false)
    let margin = section.percent("min_margin", required: false, in: .zero...ExactDecimal(10))
    let valid =
      (discount != nil || !section.has("max_total_discount"))
      && (margin != nil || !section.has("min_margin"))
    section.finish()
    return valid ? Guardrails(maximumTotalDiscount: discount, minimumMargin: margin) : nil
  }

  /// `[extra_discount]`, optional: managers may grant nothing when absent.
  static func decodeExtraDiscount(_ root: TableReader) -> ExtraDiscountLimits? {
    guard let section = root.table("extra_discount", required: false) else {
      return ExtraDiscountLimits.none
    }
    let maximum = section.percent("maximum")
    let approvalAbove = section.percent("approval_above")
    section.finish()
    guard let maximum, let approvalAbove else { return nil }
    guard approvalAbove <= maximum else {
      section.problem(
        .rule, "approval_above",
        "\(Percent.text(approvalAbove)) is above the maximum \(Percent.text(maximum))")
      return nil
    }
    return ExtraDiscountLimits(maximum: maximum, approvalAbove: approvalAbove)
  }

  /// `[budget]`, optional: the program cost cap as a share of net turnover.
  static func decodeBudget(_ root: TableReader) -> ExactDecimal? {
    guard let section = root.table("budget", required: false) else { return nil }
    let cap = section.percent("cap")
    section.finish()
    return cap
  }
}
