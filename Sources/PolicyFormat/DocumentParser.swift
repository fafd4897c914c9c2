import RebateCore

/// Reads the policy text format, a strict subset of TOML: `# comments`, `[table]`,
/// `[[array.of.tables]]`, `key = value` with strings, integers, exact decimals, booleans, dates
/// (`2026-07-01`), arrays (may span lines) and one-line inline tables. Everything else (times,
/// floats with exponents, multi-line strings, dotted keys outside headers) is refused with a
/// reason, so the file means exactly one thing. A bad line is reported and parsing goes on with
/// the next one, so every syntax problem shows up in one run.
public enum DocumentParser {
  /// Policies are hand-written documents; anything bigger is a mistake.
  public static let maximumBytes = 1 << 20
  static let maximumNesting = 16

  public static func parse(_ text: String, log: ProblemLog) -> DocumentTable {
    let root = TableNode(location: SourceLocation(line: 1, column: 1), explicit: true)
    guard text.utf8.count <= maximumBytes else {
      log.report(
        .limit, at: root.location, path: "(file)",
        "the file has more than \(maximumBytes) bytes")
      return root.frozen()
    }
    var parser = LineParser(bytes: Array(text.utf8), root: root)
    parser.run(log: log)
    return root.frozen()
  }
}

struct SyntaxError: Error {
  let location: SourceLocation
  let code: PolicyProblem.Code
  /// nil: the key path of the line being read.
  let path: String?
  let reason: String

  init(
    _ location: SourceLocation, _ reason: String, code: PolicyProblem.Code = .syntax,
    path: String? = nil
  ) {
    self.location = location
    self.reason = reason
    self.code = code
    self.path = path
  }
}

/// The mutable tree the parser builds; frozen into `DocumentTable` values at the end.
final class TableNode {
  enum Slot {
    case value(DocumentValue)
    case table(TableNode)
    case tables([TableNode], SourceLocation)
  }

  let location: SourceLocation
  /// Written as its own `[header]` (a second one is a duplicate), not just implied by a longer one.
  var explicit: Bool
  var order: [String] = []
  var slots: [String: Slot] = [:]
  var keyLocations: [String: SourceLocation] = [:]

  init(location: SourceLocation, explicit: Bool) {
    self.location = location
    self.explicit = explicit
  }

  func set(_ key: String, _ slot: Slot, at location: SourceLocation) {
    if slots[key] == nil { order.append(key) }
    slots[key] = slot
    keyLocations[key] = location
  }

  func frozen() -> DocumentTable {
    let entries = order.map { key -> DocumentTable.Entry in
      let value: DocumentValue
      switch slots[key]! {
      case .value(let plain): value = plain
      case .table(let node): value = DocumentValue(.table(node.frozen()), at: node.location)
      case .tables(let nodes, let location):
        value = DocumentValue(
          .array(nodes.map { DocumentValue(.table($0.frozen()), at: $0.location) }), at: location)
      }
      return DocumentTable.Entry(key: key, keyLocation: keyLocations[key]!, value: value)
    }
    return DocumentTable(entries: entries, location: location)
  }
}

struct LineParser {
  let bytes: [UInt8]
  let root: TableNode
  var index = 0
  var line = 1
  var column = 1
  var current: TableNode
  /// The path of the current table (`cascade.step[2]`) and of the key being read, for messages.
  var tablePath = ""
  var linePath = ""

  init(bytes: [UInt8], root: TableNode) {
    self.bytes = bytes
    self.root = root
    current = root
  }

  var location: SourceLocation { SourceLocation(line: line, column: column) }
  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func advance() {
    let byte = bytes[index]
    index += 1
    if byte == UInt8(ascii: "\n") {
      line += 1
      column = 1
    } else if index >= bytes.count || bytes[index] & 0xC0 != 0x80 {
      // Continuation bytes belong to the character before them: one column per character.
      column += 1
    }
  }

  mutating func consume(_ character: Unicode.Scalar) -> Bool {
    guard peek == UInt8(ascii: character) else { return false }
    advance()
    return true
  }

  mutating func expect(_ character: Unicode.Scalar, _ what: String) throws(SyntaxError) {
    guard consume(character) else { throw SyntaxError(location, "expected \(what)") }
  }

  mutating func skipSpaces() {
    while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
  }

  mutating func skipComment() {
    guard peek == UInt8(ascii: "#") else { return }
    while let byte = peek, byte != UInt8(ascii: "\n") { advance() }
  }

  /// Inside arrays: spaces, comments and line breaks all separate values.
  mutating func skipBlankLines() {
    while true {
      skipSpaces()
      skipComment()
      guard consume("\n") || consume("\r") else { return }
    }
  }

  mutating func skipRestOfLine() {
    while let byte = peek, byte != UInt8(ascii: "\n") { advance() }
  }

  mutating func run(log: ProblemLog) {
    while index < bytes.count {
      skipSpaces()
      skipComment()
      if consume("\r") || consume("\n") { continue }
      guard index < bytes.count else { break }
      linePath = tablePath.isEmpty ? "(top level)" : tablePath
      do throws(SyntaxError) {
        if peek == UInt8(ascii: "[") {
          try parseHeader()
        } else {
          try parseKeyValue(into: current, path: "")
        }
        try expectLineEnd()
      } catch {
        log.report(error.code, at: error.location, path: error.path ?? linePath, error.reason)
        skipRestOfLine()
      }
    }
  }

  mutating func expectLineEnd() throws(SyntaxError) {
    skipSpaces()
    skipComment()
    _ = consume("\r")
    guard peek == nil || peek == UInt8(ascii: "\n") else {
      throw SyntaxError(location, "unexpected text after the value; one key = value per line")
    }
  }

  // MARK: Headers

  mutating func parseHeader() throws(SyntaxError) {
    let start = location
    advance()
    let isArray = consume("[")
    skipSpaces()
    var keys: [String] = []
    repeat {
      skipSpaces()
      keys.append(try parseKey())
      skipSpaces()
    } while consume(".")
    try expect("]", "']' to close the table header")
    if isArray { try expect("]", "']]' to close the array-of-tables header") }
    // Keys after a broken header must not land in the previous table.
    current = TableNode(location: start, explicit: true)
    tablePath = keys.joined(separator: ".")
    current = isArray ? try openArrayElement(keys, at: start) : try openTable(keys, at: start)
    if isArray, let parent = try? parent(of: keys, at: start),
      case .tables(let elements, _) = parent.slots[keys[keys.count - 1]]
    {
      tablePath += "[\(elements.count)]"
    }
  }

  /// Walks to the parent of the last key, creating implied tables; arrays of tables resolve to
  /// their last element, as in TOML.
  func parent(of keys: [String], at start: SourceLocation) throws(SyntaxError) -> TableNode {
    var node = root
    for (position, key) in keys.dropLast().enumerated() {
      let path = keys[...position].joined(separator: ".")
      switch node.slots[key] {
      case nil:
        let child = TableNode(location: start, explicit: false)
        node.set(key, .table(child), at: start)
        node = child
      case .table(let child): node = child
      case .tables(let children, _): node = children[children.count - 1]
      case .value(let value):
        throw SyntaxError(
          start, "'\(path)' is already a value (written at \(value.location))", code: .duplicate,
          path: path)
      }
    }
    return node
  }

  func openTable(_ keys: [String], at start: SourceLocation) throws(SyntaxError) -> TableNode {
    let node = try parent(of: keys, at: start)
    let key = keys[keys.count - 1]
    let path = keys.joined(separator: ".")
    switch node.slots[key] {
    case nil:
      let child = TableNode(location: start, explicit: true)
      node.set(key, .table(child), at: start)
      return child
    case .table(let child) where !child.explicit:
      child.explicit = true
      return child
    default:
      throw SyntaxError(
        start, "[\(path)] is defined twice (first at \(node.keyLocations[key]!))",
        code: .duplicate, path: path)
    }
  }

  func openArrayElement(_ keys: [String], at start: SourceLocation) throws(SyntaxError)
    -> TableNode
  {
    let node = try parent(of: keys, at: start)
    let key = keys[keys.count - 1]
    let path = keys.joined(separator: ".")
    let child = TableNode(location: start, explicit: true)
    switch node.slots[key] {
    case nil:
      node.set(key, .tables([child], start), at: start)
    case .tables(let children, let first):
      node.slots[key] = .tables(children + [child], first)
    default:
      throw SyntaxError(
        start, "[[\(path)]] clashes with '\(path)' defined at \(node.keyLocations[key]!)",
        code: .duplicate, path: path)
    }
    return child
  }

  // MARK: Keys and values

  mutating func parseKey() throws(SyntaxError) -> String {
    if peek == UInt8(ascii: "\"") {
      let start = location
      let key = try parseBasicString()
      guard !key.isEmpty else { throw SyntaxError(start, "a key cannot be empty") }
      return key
    }
    let start = index
    while let byte = peek, Self.isBareKey(byte) { advance() }
    guard index > start else { throw SyntaxError(location, "expected a key") }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  static func isBareKey(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      return true
    default: return false
    }
  }

  mutating func parseKeyValue(into table: TableNode, path: String) throws(SyntaxError) {
    let keyLocation = location
    let key = try parseKey()
    let keyPath = path.isEmpty ? key : path + "." + key
    if table === current { linePath = tablePath.isEmpty ? key : tablePath + "." + key }
    skipSpaces()
    if peek == UInt8(ascii: ".") {
      throw SyntaxError(location, "dotted keys are not supported; write a [table] header instead")
    }
    try expect("=", "'=' after the key '\(key)'")
    skipSpaces()
    if let first = table.keyLocations[key] {
      throw SyntaxError(
        keyLocation, "duplicate key '\(key)' (first written at \(first))", code: .duplicate,
        path: table === current ? linePath : keyPath)
    }
    let value: DocumentValue
    do {
      value = try parseValue(depth: 0)
    } catch {
      // The key was written: decoding must not also call it missing.
      table.set(key, .value(DocumentValue(.invalid, at: error.location)), at: keyLocation)
      throw error
    }
    table.set(key, .value(value), at: keyLocation)
  }

  mutating func parseValue(depth: Int) throws(SyntaxError) -> DocumentValue {
    let start = location
    guard depth < DocumentParser.maximumNesting else {
      throw SyntaxError(start, "values nested deeper than \(DocumentParser.maximumNesting) levels")
    }
    switch peek {
    case UInt8(ascii: "\""):
      if bytes[index...].starts(with: Array("\"\"\"".utf8)) {
        throw SyntaxError(start, "multi-line strings are not supported")
      }
      return DocumentValue(.string(try parseBasicString()), at: start)
    case UInt8(ascii: "'"):
      return DocumentValue(.string(try parseLiteralString()), at: start)
    case UInt8(ascii: "["):
      return DocumentValue(.array(try parseArray(depth: depth)), at: start)
    case UInt8(ascii: "{"):
      return DocumentValue(.table(try parseInlineTable(depth: depth)), at: start)
    case nil, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
      throw SyntaxError(start, "expected a value")
    default:
      return try parseScalar()
    }
  }

  mutating func parseBasicString() throws(SyntaxError) -> String {
    let start = location
    advance()
    var scalars = String.UnicodeScalarView()
    var pending: [UInt8] = []
    func flush() {
      scalars.append(contentsOf: String(decoding: pending, as: UTF8.self).unicodeScalars)
      pending.removeAll()
    }
    while true {
      guard let byte = peek, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
        throw SyntaxError(start, "unterminated string")
      }
      if byte == UInt8(ascii: "\"") {
        advance()
        break
      }
      if byte != UInt8(ascii: "\\") {
        pending.append(byte)
        advance()
        continue
      }
      let escapeLocation = location
      advance()
      flush()
      guard let escaped = peek else { throw SyntaxError(start, "unterminated string") }
      advance()
      switch escaped {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"): scalars.append(try parseUnicodeEscape(at: escapeLocation))
      default:
        throw SyntaxError(escapeLocation, "unknown escape; use \\\" \\\\ \\n \\t or \\uXXXX")
      }
    }
    flush()
    return String(scalars)
  }

  mutating func parseUnicodeEscape(at start: SourceLocation) throws(SyntaxError) -> Unicode.Scalar {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = peek, let digit = Self.hexDigit(byte) else {
        throw SyntaxError(start, "\\u needs four hexadecimal digits")
      }
      value = value * 16 + digit
      advance()
    }
    guard let scalar = Unicode.Scalar(value) else {
      throw SyntaxError(start, "\\u escape is not a Unicode character")
    }
    return scalar
  }

  static func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  mutating func parseLiteralString() throws(SyntaxError) -> String {
    let start = location
    advance()
    let first = index
    while let byte = peek, byte != UInt8(ascii: "'") {
      guard byte != UInt8(ascii: "\n") else { throw SyntaxError(start, "unterminated string") }
      advance()
    }
    guard peek != nil else { throw SyntaxError(start, "unterminated string") }
    let text = String(decoding: bytes[first..<index], as: UTF8.self)
    advance()
    return text
  }

  mutating func parseArray(depth: Int) throws(SyntaxError) -> [DocumentValue] {
    let start = location
    advance()
    var values: [DocumentValue] = []
    while true {
      skipBlankLines()
      if consume("]") { return values }
      guard peek != nil else { throw SyntaxError(start, "unterminated array") }
      values.append(try parseValue(depth: depth + 1))
      skipBlankLines()
      if consume(",") { continue }
      if consume("]") { return values }
      throw SyntaxError(location, "expected ',' or ']' in the array")
    }
  }

  mutating func parseInlineTable(depth: Int) throws(SyntaxError) -> DocumentTable {
    let node = TableNode(location: location, explicit: true)
    advance()
    skipSpaces()
    if consume("}") { return node.frozen() }
    while true {
      skipSpaces()
      try parseKeyValue(into: node, path: "")
      skipSpaces()
      if consume(",") { continue }
      if consume("}") { return node.frozen() }
      throw SyntaxError(
        location, "expected ',' or '}' in the inline table (which fits on one line)")
    }
  }

  static func isScalarByte(_ byte: UInt8) -> Bool {
    isBareKey(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+")
      || byte == UInt8(ascii: ":")
  }

  /// Booleans, dates, integers and decimals: one token, read strictly.
  mutating func parseScalar() throws(SyntaxError) -> DocumentValue {
    let start = location
    let first = index
    while let byte = peek, Self.isScalarByte(byte) { advance() }
    let token = String(decoding: bytes[first..<index], as: UTF8.self)
    guard !token.isEmpty else { throw SyntaxError(start, "expected a value") }
    if token == "true" || token == "false" {
      return DocumentValue(.boolean(token == "true"), at: start)
    }
    if token.utf8.count >= 10, Self.looksLikeDate(token) {
      guard token.utf8.count == 10 else {
        throw SyntaxError(start, "times are not supported; write a date as YYYY-MM-DD")
      }
      do {
        return DocumentValue(.date(try Day.parse(token)), at: start)
      } catch {
        throw SyntaxError(start, "'\(token)' is not a date: \(Self.reason(of: error))")
      }
    }
    return DocumentValue(try Self.number(token, at: start), at: start)
  }

  static func looksLikeDate(_ token: String) -> Bool {
    let bytes = Array(token.utf8.prefix(5))
    return bytes.count == 5 && bytes[4] == UInt8(ascii: "-")
      && bytes[0..<4].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
  }

  static func reason(of error: CoreError) -> String {
    switch error {
    case .invalidDate(_, let reason), .invalidNumber(_, let reason), .invalidPeriod(_, let reason):
      return reason
    case .overflow: return "too large"
    }
  }

  static func number(_ token: String, at start: SourceLocation) throws(SyntaxError)
    -> DocumentValue.Kind
  {
    if token.contains(where: { $0 == "e" || $0 == "E" }) && !token.hasPrefix("0x") {
      throw SyntaxError(start, "'\(token)' is not a number; exponents are not supported")
    }
    var digits = Substring(token)
    if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, parts.allSatisfy({ Self.isDigitGroup($0) }) else {
      throw SyntaxError(
        start, "'\(token)' is not a value; strings need quotes, numbers look like 12 or 12.35")
    }
    if parts[0].count > 1 && parts[0].first == "0" {
      throw SyntaxError(start, "'\(token)' has a leading zero")
    }
    let plain = token.filter { $0 != "_" }
    if parts.count == 1 {
      guard let integer = Int64(plain) else {
        throw SyntaxError(start, "'\(token)' is too large for an integer")
      }
      return .integer(integer)
    }
    do {
      return .decimal(try ExactDecimal.parse(plain))
    } catch {
      throw SyntaxError(start, "'\(token)' is not a number: \(reason(of: error))")
    }
  }

  /// Digits, with `_` allowed only between two digits (`1_000_000`).
  static func isDigitGroup(_ text: Substring) -> Bool {
    guard let first = text.first, let last = text.last, first.isASCII, first.isNumber,
      last.isASCII, last.isNumber
    else { return false }
    var previousUnderscore = false
    for character in text {
      if character == "_" {
        if previousUnderscore { return false }
        previousUnderscore = true
      } else if character.isASCII && character.isNumber {
        previousUnderscore = false
      } else {
        return false
      }
    }
    return true
  }
}
