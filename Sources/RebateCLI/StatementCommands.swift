import Close
import RebateCore
import RebateStore

extension CLI {
  static let statementCommands: [Command] = [statementCommand, creditNotesCommand]

  static let statementCommand = Command(
    ["statement"],
    usage: "rebate statement --dealer D --period P [--format text|json|csv|html] [--database URL]",
    summary: "a dealer's statement: every line with rule, inputs, formula and sources"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let period = try periodArgument(&arguments)
    let format = try arguments.option("format") ?? "text"
    try arguments.finish()
    guard ["text", "json", "csv", "html"].contains(format) else {
      throw CLIError.usage("--format must be text, json, csv or html")
    }
    return try withCloseStore(url, context) { store in
      let statement = try store.statement(dealer: dealer, period: period)
      switch format {
      case "json": context.console.write(statement.json())
      case "csv": context.console.write(statement.csv())
      case "html": context.console.write(statement.html())
      default: context.console.write(statement.text())
      }
      return 0
    }
  }

  static let creditNotesCommand = Command(
    ["export", "credit-notes"], usage: "rebate export credit-notes --period P [--database URL]",
    summary: "credit notes per dealer and mechanic, allocated over invoice lines (CSV)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    try arguments.finish()
    return try withCloseStore(url, context) { store in
      try store.creditNotes(period, settings: try store.storedSettings(period)) {
        context.console.write($0)
      }
      return 0
    }
  }
}
