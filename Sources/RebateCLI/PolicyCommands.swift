import Foundation
import Policy
import PolicyFormat
import RebateCore

extension CLI {
  static let policyCommands: [Command] = [policyCheckCommand, policySheetCommand]

  static let policyCheckCommand = Command(
    ["policy", "check"], usage: "rebate policy check FILE",
    summary: "validate a policy file; list every problem as FILE:LINE:COL"
  ) { arguments, context in
    let file = try arguments.positional("policy file")
    try arguments.finish()
    switch PolicyDecoder.decode(try readPolicyFile(file), file: file) {
    case .failure(let problems):
      for problem in problems.problems { context.console.print(problem.description) }
      context.console.error("\(file): \(problems.problems.count) problem(s)")
      return 1
    case .success(let policy):
      let cascade = policy.cascade
      context.console.print(
        "\(file): ok: \(policy.reference) \"\(policy.name)\", effective \(policy.effectiveFrom), "
          + "\(policy.periodGrain.rawValue) periods, \(cascade.steps.count) cascade steps, "
          + "\(cascade.groups.count) groups, tiers \(policy.tiers.joined(separator: "/"))")
      return 0
    }
  }

  static let policySheetCommand = Command(
    ["policy", "sheet"],
    usage: "rebate policy sheet FILE --dealer D --tier T [--extra 2%] [--html]",
    summary: "preview a dealer's terms sheet (also --segment --region --payment-terms --from)",
    switches: ["html"]
  ) { arguments, context in
    let file = try arguments.positional("policy file")
    let dealer = try arguments.requiredIdentifier("dealer")
    let tier = try arguments.required("tier")
    let extraText = try arguments.option("extra") ?? "0%"
    let segment = try arguments.option("segment") ?? ""
    let region = try arguments.option("region") ?? ""
    let paymentTerms = try arguments.option("payment-terms") ?? ""
    let fromText = try arguments.option("from")
    let html = arguments.flag("html")
    try arguments.finish()
    let policy = try decodedPolicy(file)
    guard case .success(let extra) = Percent.parse(extraText) else {
      throw CLIError.usage("--extra must be a percentage like 2%")
    }
    let from = try fromText.map { text throws -> Day in
      do { return try Day.parse(text) } catch { throw CLIError.usage("--from: \(error)") }
    }
    do {
      let terms = try TermsDesk.issue(
        dealer: dealer, policy: policy, tier: tier, extraDiscount: extra,
        effectiveFrom: from ?? policy.effectiveFrom, issuedBy: "preview", history: [])
      let sheet = try TermsSheet(
        policy: policy, terms: terms, segment: segment, region: region,
        paymentTerms: paymentTerms)
      context.console.write(html ? sheet.html : sheet.plainText)
      return 0
    } catch let error as TermsError {
      throw CLIError(code: error.code, describing: error.description)
    }
  }

  /// A policy file decoded, or an error listing its problems.
  static func decodedPolicy(_ file: String) throws -> CommercialPolicy {
    switch PolicyDecoder.decode(try readPolicyFile(file), file: file) {
    case .success(let policy): return policy
    case .failure(let problems):
      throw CLIError(code: "E-POLICY-INVALID", message: "\(file) has problems:\n\(problems)")
    }
  }

  static func readPolicyFile(_ file: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw CLIError(code: "E-POLICY-FILE", message: "cannot read \(file)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError(code: "E-POLICY-FILE", message: "\(file) is not UTF-8 text")
    }
    return text
  }
}
