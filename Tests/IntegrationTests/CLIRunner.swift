import Foundation
import RebateCLI

/// Runs one `rebate` command in-process and captures what it printed.
func runCLI(_ arguments: [String], environment: [String: String] = [:]) -> (
  status: Int32, out: String, err: String
) {
  let captured = Captured()
  let console = Console(out: { captured.append(out: $0) }, err: { captured.append(err: $0) })
  let context = Context(environment: environment, console: console, now: { "2026-11-22T10:00:00Z" })
  let status = CLI.main(arguments: arguments, context: context)
  return (status, captured.out, captured.err)
}

final class Captured: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errText = ""

  func append(out text: String) { lock.withLock { outText += text } }
  func append(err text: String) { lock.withLock { errText += text } }
  var out: String { lock.withLock { outText } }
  var err: String { lock.withLock { errText } }
}
