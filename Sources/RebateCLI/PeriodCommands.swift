import Close
import Foundation
import Policy
import PostgresClient
import Pricing
import RebateCore
import RebateStore

extension CLI {
  /// The period lifecycle and its reports (docs/period-close.md, docs/finance.md).
  static let periodCommands: [Command] = [
    periodCloseCommand, periodApproveCommand, accrualsCommand, costReportCommand,
  ]

  static let periodCloseCommand = Command(
    ["period", "close"],
    usage:
      "rebate period close --period P --policy ID|FILE [--database URL]",
    summary: "compute period P as a draft (re-runnable; same inputs, same bytes)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let spec = try arguments.required("policy")
    try arguments.finish()
    let (policy, source) = try closePolicy(spec, period: period, url: url)
    let settings = CloseSettings(policy: policy)
    return try withCloseStore(url, context) { store in
      let summary = try store.close(
        period, settings: settings, policySource: source, actor: "cli",
        newNetUnitPrice: try store.priceDropPricer(policy).newNetUnitPrice)
      context.console.write(summaryText(summary))
      return 0
    }
  }

  static let periodApproveCommand = Command(
    ["period", "approve"], usage: "rebate period approve --period P --by USER [--database URL]",
    summary: "close a computed draft for good (immutable, fingerprinted)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let user = try arguments.requiredIdentifier("by")
    try arguments.finish()
    return try withCloseStore(url, context) { store in
      let fingerprint = try store.approve(period, by: user)
      context.console.print("period \(period) closed by \(user); fingerprint \(fingerprint)")
      return 0
    }
  }

  static let accrualsCommand = Command(
    ["accruals"],
    usage: "rebate accruals --period P --policy ID|FILE [--as-of DATE] [--database URL]",
    summary: "earned to date and run-rate projection per dealer and mechanic (CSV)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let spec = try arguments.required("policy")
    let asOfText = try arguments.option("as-of")
    try arguments.finish()
    let today = try Day.parse(String(context.now().prefix(10)))
    let asOf =
      try asOfText.map { try parsed("--as-of", $0, Day.parse) }
      ?? min(max(today, period.firstDay), period.lastDay)
    guard period.contains(asOf) else {
      throw CLIError.usage("--as-of \(asOf) is outside \(period)")
    }
    let settings = CloseSettings(policy: try closePolicy(spec, period: period, url: url).policy)
    return try withCloseStore(url, context) { store in
      try store.accruals(period, asOf: asOf, settings: settings) { context.console.write($0) }
      return 0
    }
  }

  static let costReportCommand = Command(
    ["report", "cost"], usage: "rebate report cost --period P [--csv] [--database URL]",
    summary: "program cost per dealer, segment, mechanic and total against the cap",
    switches: ["csv"]
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let csv = arguments.flag("csv")
    try arguments.finish()
    return try withCloseStore(url, context) { store in
      let cost = try store.cost(period, settings: try store.storedSettings(period))
      context.console.write(csv ? cost.csv() : cost.text())
      return 0
    }
  }

  /// `--policy` names a policy file, or the id of a policy stored with `rebate policy load`, in
  /// which case the version in force on the period's first day applies (a version that starts
  /// inside a period applies from the next one, never retroactively).
  static func closePolicy(_ spec: String, period: Period, url: String) throws -> (
    policy: CommercialPolicy, source: String
  ) {
    if FileManager.default.fileExists(atPath: spec) {
      return (try decodedPolicy(spec), try readPolicyFile(spec))
    }
    let id = try Arguments.checkedIdentifier(spec, option: "policy")
    let connection = try Connection(url)
    defer { connection.close() }
    guard
      let stored = try PolicyVersionStore.inForce(
        id: id, on: period.firstDay, connection: connection)
    else {
      throw CLIError(
        code: "E-CLOSE-POLICY",
        message: "--policy \(spec): neither a policy file nor a loaded policy in force on "
          + "\(period.firstDay) (store one with rebate policy load)")
    }
    return (stored.policy, stored.sourceText)
  }

  static func periodArgument(_ arguments: inout Arguments) throws -> Period {
    try parsed("--period", try arguments.required("period"), Period.parse)
  }

  static func parsed<Value>(
    _ name: String, _ text: String, _ parse: (String) throws(CoreError) -> Value
  ) throws -> Value {
    do { return try parse(text) } catch { throw CLIError.usage("\(name): \(error)") }
  }

  /// Three connections (documents and payments stream in, results copy out), errors as stable
  /// codes.
  static func withCloseStore(
    _ url: String, _ context: Context, _ body: (CloseStore) throws -> Int32
  ) throws -> Int32 {
    let reader = try Connection(url)
    defer { reader.close() }
    let cursor = try Connection(url)
    defer { cursor.close() }
    let writer = try Connection(url)
    defer { writer.close() }
    let store = CloseStore(
      reader: reader, cursor: cursor, writer: writer, now: context.now,
      newID: { UUID().uuidString.lowercased() }, environment: context.environment)
    do {
      return try body(store)
    } catch let error as CloseStoreError {
      throw CLIError(
        code: error.code, message: String(error.description.dropFirst(error.code.count + 2)))
    } catch let error as CloseError {
      throw CLIError(
        code: error.code, message: String(error.description.dropFirst(error.code.count + 2)))
    } catch let error as StoreError {
      throw CLIError(code: error.code, describing: error.description)
    }
  }

  static func summaryText(_ summary: PeriodSummary) -> String {
    var out = "period \(summary.period) draft computed under \(summary.policyReference)\n"
    out += "dealers \(summary.dealerCount), result lines \(summary.lineCount)\n"
    for (mechanic, amount) in summary.totalsByMechanic {
      out += "  \(mechanic.padding(toLength: 20, withPad: " ", startingAt: 0)) \(amount.grouped)\n"
    }
    let total = summary.cost.total
    out += "program cost \(total.rebates.grouped) of net turnover \(total.turnover.grouped)"
    if let share = total.share { out += " = \(share.percentText(decimals: 2)) %" }
    if let cap = summary.cost.cap {
      out += total.withinCap ? ", within" : ", OVER"
      out += " the \(cap.percentText(decimals: 2)) % cap"
    }
    out += "\n"
    out +=
      "payment grades: "
      + summary.gradeCounts.map { "\($0.grade) \($0.dealers)" }.joined(separator: ", ") + "\n"
    out += "fingerprint \(summary.fingerprint)\n"
    return out
  }
}
