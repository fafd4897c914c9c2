import PostgresClient

/// Every problem of one import, counted, with the first `ImportFailure.listLimit` of them (by
/// line, column position, code) kept: memory stays bounded however bad the file is.
struct ProblemLog {
  private struct Entry {
    let problem: ImportProblem
    /// The column's 1-based position; 0 for whole-record problems.
    let position: Int

    static func < (lhs: Entry, rhs: Entry) -> Bool {
      (lhs.problem.line, lhs.position, lhs.problem.code)
        < (rhs.problem.line, rhs.position, rhs.problem.code)
    }
  }

  let file: String
  private(set) var total = 0
  private var kept: [Entry] = []
  /// Encoding problems replace every other finding: the rest of a mis-encoded file means little.
  private var encoding: [ImportProblem] = []
  private var encodingTotal = 0

  init(file: String) { self.file = file }

  var isEmpty: Bool { total == 0 && encodingTotal == 0 }
  var hasEncodingProblems: Bool { encodingTotal > 0 }

  mutating func add(_ problem: ImportProblem, position: Int) {
    total += 1
    kept.append(Entry(problem: problem, position: position))
    if kept.count >= 4 * ImportFailure.listLimit { prune() }
  }

  mutating func add(
    line: Int, field: ImportField, position: Int, value: String, code: String, reason: String
  ) {
    add(
      ImportProblem(line: line, column: field.name, value: value, reason: reason, code: code),
      position: position)
  }

  /// The line of a readable record; a record that cannot be read is logged here instead, the same
  /// way for every import.
  mutating func dataLine(_ record: CSVRecordReader.Record) -> Int? {
    switch record {
    case .data(let line):
      return line
    case .malformed(let line, let reason, let text):
      add(
        ImportProblem(
          line: line, column: "(record)", value: text, reason: reason, code: "E-IMPORT-CSV"),
        position: 0)
    case .badEncoding(let line, let text):
      addEncoding(CSVRecordReader.encodingProblem(line: line, text: text))
    }
    return nil
  }

  mutating func addEncoding(_ problem: ImportProblem) {
    encodingTotal += 1
    if encoding.count < ImportFailure.listLimit { encoding.append(problem) }
  }

  /// Adds what the set-wise SQL checks put into `import_problems` (the first ones, all counted).
  mutating func addStored(_ connection: Connection) throws {
    let count = try connection.query(
      "SELECT count(*) AS problems FROM import_problems", purpose: "count problems")[0]
    let stored = try count.int("problems")
    guard stored > 0 else { return }
    let listed = try connection.query(
      """
      SELECT line_no, col_order, col, coalesce(val, '') AS val, code, reason FROM import_problems
      ORDER BY line_no, col_order, code LIMIT $1
      """, [String(ImportFailure.listLimit)], purpose: "list problems")
    for row in listed.rows {
      add(
        ImportProblem(
          line: try row.int("line_no"), column: try row.string("col"), value: try row.string("val"),
          reason: try row.string("reason"), code: try row.string("code")),
        position: try row.int("col_order"))
    }
    total += stored - listed.rows.count
  }

  /// Throws the failure when anything was found.
  func throwIfAny() throws {
    if encodingTotal > 0 {
      throw ImportFailure(file: file, problems: encoding, totalProblems: encodingTotal)
    }
    guard total > 0 else { return }
    let listed = kept.sorted(by: <).prefix(ImportFailure.listLimit).map(\.problem)
    throw ImportFailure(file: file, problems: listed, totalProblems: total)
  }

  private mutating func prune() {
    kept.sort(by: <)
    kept.removeLast(kept.count - ImportFailure.listLimit)
  }
}

/// Rows in PostgreSQL's COPY text format, buffered and sent in large pieces.
struct CopyBuffer {
  /// Small enough that the server consumes one piece while we produce the next (a send larger
  /// than the socket buffer blocks us until the server has read it).
  static let flushBytes = 1 << 16
  private(set) var bytes: [UInt8] = []

  init() { bytes.reserveCapacity(CopyBuffer.flushBytes + 64 * 1024) }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { utf8 in
      // Most values need no escaping: copy them whole.
      guard utf8.contains(where: CopyBuffer.needsEscape) else {
        return bytes.append(contentsOf: utf8)
      }
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        default: bytes.append(byte)
        }
      }
    }
  }

  private static func needsEscape(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "\\") || byte < 0x20
  }

  /// Writes the digits directly (no `String` per number).
  mutating func append(_ number: Int64) {
    if number < 0 { bytes.append(UInt8(ascii: "-")) }
    var rest = number.magnitude
    let start = bytes.count
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
      rest /= 10
    } while rest > 0
    bytes[start...].reverse()
  }

  mutating func append(_ value: ImportField.Value?) {
    guard let value else { return appendNull() }
    append(value.plainText)
  }

  mutating func appendNull() { bytes.append(contentsOf: [0x5C, UInt8(ascii: "N")]) }
  mutating func separator() { bytes.append(0x09) }
  mutating func endRow() { bytes.append(0x0A) }

  var isLarge: Bool { bytes.count >= CopyBuffer.flushBytes }

  mutating func clear() { bytes.removeAll(keepingCapacity: true) }

  /// Sends the buffer once it is large (`force`: whatever is left).
  mutating func flush(to writer: CopyWriter, force: Bool = false) throws {
    guard force || bytes.count >= CopyBuffer.flushBytes, !bytes.isEmpty else { return }
    try writer.send(bytes)
    bytes.removeAll(keepingCapacity: true)
  }
}
