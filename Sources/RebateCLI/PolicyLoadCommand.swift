import Foundation
import Policy
import RebateStore

extension CLI {
  static let policyLoadCommand = Command(
    ["policy", "load"], usage: "rebate policy load FILE [--by USER] [--database URL]",
    summary: "store a valid policy file as an immutable version (same text again: no-op)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let file = try arguments.positional("policy file")
    let user = try arguments.identifier("by") ?? "cli"
    try arguments.finish()
    let text = try readPolicyFile(file)
    let policy: CommercialPolicy
    switch PolicyDecoder.decode(text, file: file) {
    case .failure(let problems):
      for problem in problems.problems { context.console.print(problem.description) }
      context.console.error("\(file): \(problems.problems.count) problem(s); nothing was loaded")
      return 1
    case .success(let decoded): policy = decoded
    }
    return try withTermsStore(url, context) { store in
      let result = try PolicyVersionStore.load(
        text, decoded: policy, at: context.now(), by: user, store: store)
      let what =
        result.stored
        ? "loaded \(policy.reference), effective \(policy.effectiveFrom)"
        : "\(policy.reference) is already loaded with this text; nothing changed"
      context.console.print("\(file): \(what) (sha256 \(result.sourceSHA256.prefix(12)))")
      return 0
    }
  }
}
