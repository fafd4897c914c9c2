import RebateCore

/// Command-line arguments after the command words: `--name value` options, `--flag` switches and
/// positionals. Every option a command reads is consumed; `finish()` rejects anything left over,
/// so a mistyped option is an error instead of being silently ignored. No word may hold a control,
/// format or bidi character (a NUL would be cut by libpq, an ESC would reach the terminal in an
/// error message); a code (dealer, SKU, user, policy id) must follow the identifier grammar.
public struct Arguments {
  private var options: [String: String] = [:]
  private var flags: Set<String> = []
  private var positionals: [String] = []
  private let switchNames: Set<String>

  /// `switches` names the options that take no value (`--json`, `--replace`).
  public init(_ words: [String], switches: Set<String>) throws {
    switchNames = switches
    for (index, word) in words.enumerated() {
      try Self.refuseControlCharacters(word, at: index, of: words)
    }
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

  /// An option that names something (`--dealer`, `--sku`, `--by`): it must follow the identifier
  /// grammar, so the engine and PostgreSQL agree on what it names.
  public mutating func identifier(_ name: String) throws -> String? {
    try option(name).map { try Self.checkedIdentifier($0, option: name) }
  }

  public mutating func requiredIdentifier(_ name: String) throws -> String {
    try Self.checkedIdentifier(try required(name), option: name)
  }

  static func checkedIdentifier(_ text: String, option name: String) throws -> String {
    guard let reason = Identifier.problem(in: text) else { return text }
    let error = IdentifierError(what: "--\(name)", text: text, reason: reason)
    throw CLIError(code: error.code, describing: error.description, exitCode: 2)
  }

  /// Refuses a word with a control character, naming the option it belongs to (`--name value`,
  /// `--name=value`) or its position.
  static func refuseControlCharacters(_ word: String, at index: Int, of words: [String]) throws {
    guard let reason = Identifier.freeTextProblem(in: word, maximumLength: Int.max) else { return }
    let place: String
    if word.hasPrefix("--") {
      place = String(word.prefix { $0 != "=" })
    } else if index > 0, words[index - 1].hasPrefix("--"), !words[index - 1].contains("=") {
      place = words[index - 1]
    } else {
      place = "argument \(index + 1)"
    }
    throw CLIError(
      code: "E-ARG-CONTROL",
      message: "\(Identifier.printable(place)) '\(Identifier.printable(word))' \(reason); "
        + "arguments are one line of printable text",
      exitCode: 2)
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
