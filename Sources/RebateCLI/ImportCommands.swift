import PostgresClient
import RebateStore

extension CLI {
  /// `rebate import KIND FILE.csv [--replace]`, one command per file kind.
  static let importCommands: [Command] = ImportKind.allCases.map { kind in
    Command(
      ["import", kind.rawValue],
      usage: "rebate import \(kind.rawValue) FILE.csv [--replace] [--database URL]",
      summary: kind.updatesInPlace
        ? "load or update \(kind.rawValue) (all rows checked first, one transaction)"
        : "load \(kind.rawValue) (all rows checked first, one transaction)",
      switches: ["replace"]
    ) { arguments, context in
      let url = try context.databaseURL(&arguments)
      let path = try arguments.positional("FILE.csv")
      let replace = arguments.flag("replace")
      try arguments.finish()
      let connection = try Connection(url)
      defer { connection.close() }
      do {
        let report = try CSVImport.run(kind, path: path, replace: replace, connection: connection)
        context.console.print(report.summary)
        return 0
      } catch let failure as ImportFailure {
        failure.lines.forEach(context.console.error)
        return 1
      }
    }
  }
}
