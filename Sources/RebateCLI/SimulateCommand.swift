import Close
import Economics
import Foundation
import RebateCore
import RebateStore

extension CLI {
  /// What-ifs that write nothing (docs/what-if.md).
  static let simulateCommands: [Command] = [simulateCommand]

  static let simulateCommand = Command(
    ["simulate"],
    usage:
      "rebate simulate SCENARIO.toml | --policy ID|FILE --period P [--html] [--database URL]",
    summary:
      "what-if: a scenario in memory, or a draft policy on a period's history (writes nothing)",
    switches: ["html"]
  ) { arguments, context in
    if let spec = try arguments.option("policy") {
      try whatIf(spec, &arguments, context)
      return 0
    }
    let file = try arguments.positional("a scenario file")
    try arguments.finish()
    let scenario: Scenario
    switch ScenarioDecoder.decode(try readPolicyFile(file), file: file) {
    case .success(let decoded): scenario = decoded
    case .failure(let problems):
      throw CLIError(code: "E-SCENARIO-INVALID", message: "\(file) has problems:\n\(problems)")
    }
    let outcome: ScenarioOutcome
    do { outcome = try ScenarioRun.run(scenario) } catch let error as ScenarioError {
      throw CLIError(code: error.code, message: error.reason)
    }
    context.console.write(outcome.text())
    let failed = outcome.checks.filter { !$0.passed }.count
    guard failed == 0 else {
      let error = ScenarioError.expectations(scenario: scenario.name, failed: failed)
      throw CLIError(code: error.code, message: error.reason)
    }
    return 0
  }

  /// The draft policy on the real history of a computed period, beside the stored result.
  static func whatIf(_ spec: String, _ arguments: inout Arguments, _ context: Context) throws {
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let html = arguments.flag("html")
    try arguments.finish()
    let (policy, _) = try closePolicy(spec, period: period, url: url)
    _ = try withCloseStore(url, context) { store in
      let comparison = try store.whatIf(
        period, settings: CloseSettings(policy: policy),
        newNetUnitPrice: try store.priceDropPricer(policy).newNetUnitPrice)
      context.console.write(html ? comparison.html() : comparison.text())
      return 0
    }
  }
}
