/// One `rebate` command: its words (`["period", "close"]`), a line of help, and what it does.
public struct Command: Sendable {
  public let words: [String]
  public let usage: String
  public let summary: String
  public let switches: Set<String>
  public let run: @Sendable (inout Arguments, Context) throws -> Int32

  public init(
    _ words: [String], usage: String, summary: String, switches: Set<String> = [],
    run: @escaping @Sendable (inout Arguments, Context) throws -> Int32
  ) {
    self.words = words
    self.usage = usage
    self.summary = summary
    self.switches = switches
    self.run = run
  }
}
