import PostgresClient
import RebateStore

extension CLI {
  /// `rebate db migrate`: brings the database schema up to date (docs/data-model.md).
  static let databaseCommands: [Command] = [
    Command(
      ["db", "migrate"], usage: "rebate db migrate [--schema DIR] [--database URL]",
      summary: "apply new schema/NNN_*.sql migrations (each in its own transaction)"
    ) { arguments, context in
      let url = try context.databaseURL(&arguments)
      let folder = try Migrations.locateSchema(
        explicit: try arguments.option("schema"), environment: context.environment)
      try arguments.finish()
      let migrations = try Migrations.load(from: folder)
      let connection = try Connection(url)
      defer { connection.close() }
      let report = try Migrations.migrate(migrations, on: connection)
      for file in report.applied { context.console.print("applied \(file)") }
      context.console.print(
        "schema up to date: \(report.applied.count) applied, \(report.unchanged.count) unchanged "
          + "(\(folder))")
      return 0
    }
  ]
}
