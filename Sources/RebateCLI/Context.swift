import Foundation

/// Where a command writes. Tests capture both streams; the real binary writes to the terminal.
public final class Console: @unchecked Sendable {
  private let writeOut: (String) -> Void
  private let writeErr: (String) -> Void

  public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
    writeOut = out
    writeErr = err
  }

  public static let standard = Console(
    out: { FileHandle.standardOutput.write(Data($0.utf8)) },
    err: { FileHandle.standardError.write(Data($0.utf8)) }
  )

  public func print(_ line: String = "") { writeOut(line + "\n") }
  public func write(_ text: String) { writeOut(text) }
  public func error(_ line: String) { writeErr(line + "\n") }
}

/// Everything a command needs from the outside world, so tests can pin it.
public struct Context: Sendable {
  public var environment: [String: String]
  public var console: Console
  /// The wall clock, as an ISO-8601 UTC timestamp; tests pin it so outputs are byte-stable.
  public var now: @Sendable () -> String

  public init(
    environment: [String: String], console: Console,
    now: @escaping @Sendable () -> String = Context.systemNow
  ) {
    self.environment = environment
    self.console = console
    self.now = now
  }

  public static let systemNow: @Sendable () -> String = {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
  }

  /// The database to use: `--database URL` beats `DATABASE_URL`.
  public func databaseURL(_ arguments: inout Arguments) throws -> String {
    if let url = try arguments.option("database") { return url }
    if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
    throw CLIError.usage("no database: set DATABASE_URL or pass --database URL")
  }
}
