/// Command-line arguments after the command words: `--name value` options, `--flag` switches and
/// positionals. Every option a command reads is consumed; `finish()` rejects anything left over,
/// so a mistyped option is an error instead of being silently ignored.
public struct Arguments {
  private var options: [String: String] = [:]
  private var flags: Set<String> = []
  private var positionals: [String] = []
  private let switchNames: Set<String>

  /// `switches` names the options that take no value (`--json`, `--replace`).
  public init(_ words: [String], switches: Set<String>) throws {
    switchNames = switches
    var index = 0
    while index < words.count {
      let word = words[index]
      if word.hasPrefix("--") && word.count > 2 {
        let name = String(word.dropFirst(2))
        if let equals = name.firstIndex(of: "=") {
          options[String(name[..<equals])] = String(name[name.index(after: equals)...])
        } else if switches.contains(name) {
          flags.insert(name)
        } else {
          guard index + 1 < words.count else { throw CLIError.usage("--\(name) needs a value") }
          index += 1
          guard options[name] == nil else { throw CLIError.usage("--\(name) given twice") }
          options[name] = words[index]
        }
      } else {
        positionals.append(word)
      }
      index += 1
    }
  }

  public mutating func option(_ name: String) throws -> String? {
    options.removeValue(forKey: name)
  }

  public mutating func required(_ name: String) throws -> String {
    guard let value = options.removeValue(forKey: name) else {
      throw CLIError.usage("--\(name) is required")
    }
    return value
  }

  public mutating func flag(_ name: String) -> Bool {
    precondition(switchNames.contains(name), "flag --\(name) must be declared as a switch")
    return flags.remove(name) != nil
  }

  public mutating func positional(_ what: String) throws -> String {
    guard !positionals.isEmpty else { throw CLIError.usage("missing \(what)") }
    return positionals.removeFirst()
  }

  public func finish() throws {
    if let name = options.keys.sorted().first { throw CLIError.usage("unknown option --\(name)") }
    if let name = flags.sorted().first { throw CLIError.usage("unknown option --\(name)") }
    if let extra = positionals.first { throw CLIError.usage("unexpected argument '\(extra)'") }
  }
}
