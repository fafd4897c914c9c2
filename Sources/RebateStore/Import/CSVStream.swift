import Foundation
import PostgresClient

/// Turns the bytes of a CSV file into COPY data for the staging table: checks the encoding and
/// the header, then sends each record prefixed with the file line it starts on, so every later
/// error can name its line. Records with the wrong number of fields are reported, not sent.
struct CSVStream {
  /// Bytes buffered before each `PQputCopyData` call.
  static let chunkBytes = 1 << 20
  /// How much of a malformed record an error message quotes.
  static let quotedBytes = 60

  let fileName: String
  let columns: [String]

  /// Problems that stop the import before any data is sent (encoding, header).
  func precheck(_ bytes: UnsafeBufferPointer<UInt8>) -> [ImportProblem] {
    if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D }) {
      return [headerProblem("", "the file is empty; expected a header row")]
    }
    if bytes.contains(0) || String(validating: bytes, as: UTF8.self) == nil {
      return encodingProblems(bytes)
    }
    let header = headerFields(bytes)
    guard header == columns else {
      return [
        headerProblem(
          header.joined(separator: ","),
          "the header must be exactly \(columns.joined(separator: ",")) (in this order)")
      ]
    }
    return []
  }

  /// Sends the data records; returns how many were sent and the malformed ones (at most
  /// `ImportFailure.listLimit` kept, all counted).
  func send(_ bytes: UnsafeBufferPointer<UInt8>, to writer: CopyWriter) throws -> (
    records: Int, problems: [ImportProblem], problemCount: Int
  ) {
    var scanner = RecordScanner(expectedFields: columns.count)
    var position = bodyStart(bytes)
    var output: [UInt8] = []
    output.reserveCapacity(CSVStream.chunkBytes + 4096)
    var problems: [ImportProblem] = []
    var problemCount = 0
    while position < bytes.count {
      let record = scanner.next(bytes, from: position, into: &output)
      position = record.end
      if let reason = record.problem {
        problemCount += 1
        if problems.count < ImportFailure.listLimit {
          problems.append(
            ImportProblem(
              line: record.line, column: "(record)", value: quote(bytes, record.start, record.end),
              reason: reason, code: "E-IMPORT-CSV"))
        }
      }
      if output.count >= CSVStream.chunkBytes {
        try writer.send(output)
        output.removeAll(keepingCapacity: true)
      }
    }
    try writer.send(output)
    return (scanner.records, problems, problemCount)
  }

  private func headerProblem(_ value: String, _ reason: String) -> ImportProblem {
    ImportProblem(
      line: 1, column: "(header)", value: value, reason: reason, code: "E-IMPORT-HEADER")
  }

  private func encodingProblems(_ bytes: UnsafeBufferPointer<UInt8>) -> [ImportProblem] {
    var problems: [ImportProblem] = []
    var lineNumber = 1
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      if line.contains(0) || String(validating: line, as: UTF8.self) == nil {
        problems.append(
          ImportProblem(
            line: lineNumber, column: "(line)",
            value: String(decoding: line.prefix(40), as: UTF8.self),
            reason: "is not valid UTF-8 text; save the file as UTF-8", code: "E-IMPORT-ENCODING"))
        if problems.count == ImportFailure.listLimit { break }
      }
      lineNumber += 1
    }
    return problems
  }

  /// The header's fields (simple: header names are never quoted with commas inside).
  private func headerFields(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
    let text = String(decoding: bytes[start..<end], as: UTF8.self)
    return text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: CharacterSet(charactersIn: " \r\""))
    }
  }

  private func bodyStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let newline = bytes.firstIndex(of: 0x0A) else { return bytes.count }
    return newline + 1
  }

  private func quote(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    let slice = bytes[start..<min(end, start + CSVStream.quotedBytes)]
    return String(decoding: slice, as: UTF8.self).trimmingCharacters(in: .newlines)
  }
}

/// Finds record boundaries the way PostgreSQL's CSV reader does (a quote toggles quoting, so a
/// doubled quote inside a quoted field toggles twice), counts fields, and copies each good
/// record into the output prefixed with its line number.
struct RecordScanner {
  let expectedFields: Int
  private(set) var records = 0
  /// The file line the next record starts on; the header is line 1.
  private var line = 2

  init(expectedFields: Int) { self.expectedFields = expectedFields }

  struct Record {
    let start: Int
    let end: Int
    let line: Int
    let problem: String?
  }

  mutating func next(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into output: inout [UInt8]
  )
    -> Record
  {
    let recordLine = line
    let mark = output.count
    appendNumber(recordLine, to: &output)
    output.append(UInt8(ascii: ","))
    let contentStart = output.count
    var fields = 1
    var inQuotes = false
    var position = start
    var ended = false
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      if byte == 0x0A {
        line += 1
        if !inQuotes {
          ended = true
          break
        }
      } else if byte == 0x22 {
        inQuotes.toggle()
      } else if byte == 0x2C && !inQuotes {
        fields += 1
      } else if byte == 0x0D && !inQuotes && position < bytes.count && bytes[position] == 0x0A {
        continue
      }
      output.append(byte)
    }
    if !ended && inQuotes {
      output.removeSubrange(mark...)
      return Record(
        start: start, end: position, line: recordLine,
        problem: "a quoted field is never closed (missing \")")
    }
    if output.count == contentStart {
      output.removeSubrange(mark...)
      return Record(start: start, end: position, line: recordLine, problem: nil)
    }
    guard fields == expectedFields else {
      output.removeSubrange(mark...)
      return Record(
        start: start, end: position, line: recordLine,
        problem: "has \(fields) field\(fields == 1 ? "" : "s"), expected \(expectedFields)")
    }
    output.append(0x0A)
    records += 1
    return Record(start: start, end: position, line: recordLine, problem: nil)
  }

  private func appendNumber(_ number: Int, to output: inout [UInt8]) {
    var digits: [UInt8] = []
    var rest = number
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
      rest /= 10
    } while rest > 0
    output.append(contentsOf: digits.reversed())
  }
}
