import Foundation
import RebateCore

public enum CLI {
  /// Every command, in the order `rebate help` lists them. Each group lives in its own file.
  static let commands: [Command] = [
    [helpCommand],
    policyCommands,
    termsCommands,
    benchCommands,
    demoDataCommands,
    databaseCommands,
    importCommands,
    sellOutCommands,
    periodCommands + statementCommands + overviewCommands,
    economicsCommands,
    simulateCommands,
    userCommands + serveCommands,
  ].flatMap { $0 }

  static let helpCommand = Command(["help"], usage: "rebate help", summary: "list the commands") {
    _, context in
    context.console.print(helpText)
    return 0
  }

  static var helpText: String {
    let lines = commands.map { "  \($0.usage)\n      \($0.summary)" }
    return (["rebate — commercial-policy and dealer rebate engine", "", "Commands:"] + lines)
      .joined(separator: "\n")
  }

  /// Runs one command line and returns its exit status: 0 success, 1 failure, 2 usage error.
  public static func main(arguments: [String], context: Context? = nil) -> Int32 {
    let context =
      context ?? Context(environment: ProcessInfo.processInfo.environment, console: .standard)
    let match = commands.filter { command in
      arguments.count >= command.words.count
        && Array(arguments.prefix(command.words.count)) == command.words
    }.max { $0.words.count < $1.words.count }
    guard let command = match else {
      context.console.error(
        arguments.isEmpty
          ? helpText
          : "E-USAGE: unknown command '\(Identifier.printable(arguments.joined(separator: " ")))'; "
            + "see 'rebate help'")
      return 2
    }
    do {
      var rest = try Arguments(
        Array(arguments.dropFirst(command.words.count)), switches: command.switches)
      let status = try command.run(&rest, context)
      return status
    } catch let error as CLIError {
      context.console.error(error.description)
      if error.exitCode == 2 { context.console.error("usage: \(command.usage)") }
      return error.exitCode
    } catch {
      context.console.error("error: \(error)")
      return 1
    }
  }
}
