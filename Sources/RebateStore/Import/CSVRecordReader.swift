/// Reads CSV records from a byte stream chunk by chunk (memory stays at one chunk plus one
/// record), the way PostgreSQL's CSV reader splits them: a `"` starts or ends quoting, a doubled
/// `""` inside quotes is one quote, CRLF ends a line like LF, empty lines are skipped. Each
/// record is named by the physical line it starts on (the header is line 1).
struct CSVRecordReader {
  /// Bytes read from the stream at a time.
  static let chunkBytes = 1 << 20
  /// A record longer than this stops the reading (an unclosed quote would otherwise swallow
  /// the rest of the file into one record).
  static let maxRecordBytes = 1 << 20
  /// How much of a malformed record an error message quotes.
  static let quotedBytes = 60

  enum Record {
    /// A well-formed record; its fields are in `fields`.
    case data(line: Int)
    /// Not the expected number of fields, or an unclosed quote: reported, not imported.
    case malformed(line: Int, reason: String, text: String)
    /// Invalid UTF-8 or a NUL byte.
    case badEncoding(line: Int, text: String)
  }

  private let stream: ImportByteStream
  /// Fields per data record; the header may settle it (`expectFields`).
  private var expectedFields: Int
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var atEnd = false
  private var stopped = false
  private var nextLine = 1
  /// The current record's unquoted field bytes and where each field lies in them (trimmed).
  private(set) var values: [UInt8] = []
  private(set) var fields: [Range<Int>] = []

  init(stream: ImportByteStream, expectedFields: Int) {
    self.stream = stream
    self.expectedFields = expectedFields
    buffer = [UInt8](repeating: 0, count: CSVRecordReader.chunkBytes)
    values.reserveCapacity(4096)
    fields.reserveCapacity(expectedFields + 1)
  }

  /// Records after this call must have `count` fields: a kind with an optional column takes the
  /// count from the header the file has.
  mutating func expectFields(_ count: Int) {
    expectedFields = count
  }

  /// The size of the stream when it was opened.
  var streamBytes: Int { stream.size }

  /// The header's fields, or nil for an empty file. Skips a UTF-8 byte-order mark.
  mutating func header() throws -> (fields: [String], problem: ImportProblem?) {
    try refill()
    if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB
      && buffer[start + 2] == 0xBF
    {
      start += 3
    }
    while let record = try next(counted: false) {
      switch record {
      case .data, .malformed:
        return ((0..<fields.count).map { text(of: $0) }, nil)
      case .badEncoding(let line, let text):
        return ([], CSVRecordReader.encodingProblem(line: line, text: text))
      }
    }
    return ([], nil)
  }

  /// The next record, or nil at the end of the stream.
  mutating func next() throws -> Record? { try next(counted: true) }

  func text(of field: Int) -> String {
    values.withUnsafeBufferPointer { String(decoding: $0[fields[field]], as: UTF8.self) }
  }

  func isEmpty(_ field: Int) -> Bool { fields[field].isEmpty }

  /// Calls `body` with the trimmed bytes of one field.
  func withBytes<T>(of field: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
    try values.withUnsafeBufferPointer { all in
      try body(UnsafeBufferPointer(rebasing: all[fields[field]]))
    }
  }

  static func encodingProblem(line: Int, text: String) -> ImportProblem {
    ImportProblem(
      line: line, column: "(line)", value: text,
      reason: "is not valid UTF-8 text; save the file as UTF-8", code: "E-IMPORT-ENCODING")
  }

  private mutating func next(counted: Bool) throws -> Record? {
    while !stopped {
      if start == end {
        guard !atEnd else { return nil }
        try refill()
        continue
      }
      let scan = scanRecord()
      switch scan {
      case .needMore:
        guard end - start < CSVRecordReader.maxRecordBytes else {
          return stop(reason: tooLongReason)
        }
        try refill()
      case .empty(let length, let newlines):
        start += length
        nextLine += newlines
      case .complete(let length, let newlines, let checkEncoding, let unclosed):
        let line = nextLine
        let recordStart = start
        start += length
        nextLine += newlines
        if checkEncoding && !isValidText(recordStart, length) {
          return .badEncoding(line: line, text: quoted(recordStart, length, 40))
        }
        if unclosed {
          return .malformed(
            line: line, reason: "a quoted field is never closed (missing \")",
            text: quoted(recordStart, length, CSVRecordReader.quotedBytes))
        }
        if counted && fields.count != expectedFields {
          let count = fields.count
          return .malformed(
            line: line,
            reason: "has \(count) field\(count == 1 ? "" : "s"), expected \(expectedFields)",
            text: quoted(recordStart, length, CSVRecordReader.quotedBytes))
        }
        return .data(line: line)
      }
    }
    return nil
  }

  private var tooLongReason: String {
    "a record longer than \(CSVRecordReader.maxRecordBytes) bytes (an unclosed quote?); "
      + "the rest of the file was not read"
  }

  private mutating func stop(reason: String) -> Record {
    stopped = true
    return .malformed(
      line: nextLine, reason: reason, text: quoted(start, end - start, CSVRecordReader.quotedBytes))
  }

  private enum Scan {
    case needMore
    case empty(length: Int, newlines: Int)
    case complete(length: Int, newlines: Int, checkEncoding: Bool, unclosed: Bool)
  }

  /// Splits the record at `start` into `values`/`fields`, or says more bytes are needed.
  private mutating func scanRecord() -> Scan {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
    let cr = UInt8(ascii: "\r")
    values.removeAll(keepingCapacity: true)
    fields.removeAll(keepingCapacity: true)
    var fieldStart = 0
    var inQuotes = false
    var newlines = 0
    var suspicious: UInt8 = 0
    var sawContent = false
    var position = start
    let limit = end
    let finalChunk = atEnd
    var ended = false
    buffer.withUnsafeBufferPointer { bytes in
      while position < limit {
        let byte = bytes[position]
        position += 1
        suspicious |= byte & 0x80
        if byte == 0 { suspicious |= 0x80 }
        if inQuotes {
          if byte == quote {
            if position < limit && bytes[position] == quote {
              values.append(quote)
              position += 1
            } else if position == limit && !finalChunk {
              return
            } else {
              inQuotes = false
            }
          } else {
            if byte == newline { newlines += 1 }
            values.append(byte)
          }
          continue
        }
        if byte == comma {
          fields.append(fieldStart..<values.count)
          fieldStart = values.count
          sawContent = true
        } else if byte == quote {
          inQuotes = true
          sawContent = true
        } else if byte == newline {
          newlines += 1
          ended = true
          return
        } else if byte == cr && (position == limit || bytes[position] == newline) {
          if position == limit && !finalChunk { return }
        } else {
          values.append(byte)
          sawContent = true
        }
      }
    }
    guard ended || finalChunk else { return .needMore }
    let length = position - start
    guard sawContent || inQuotes else { return .empty(length: length, newlines: newlines) }
    fields.append(fieldStart..<values.count)
    trimFields()
    return .complete(
      length: length, newlines: newlines, checkEncoding: suspicious != 0, unclosed: inQuotes)
  }

  /// Values are trimmed of spaces.
  private mutating func trimFields() {
    let space = UInt8(ascii: " ")
    for index in fields.indices {
      var range = fields[index]
      while range.lowerBound < range.upperBound && values[range.lowerBound] == space {
        range = range.lowerBound + 1..<range.upperBound
      }
      while range.lowerBound < range.upperBound && values[range.upperBound - 1] == space {
        range = range.lowerBound..<range.upperBound - 1
      }
      fields[index] = range
    }
  }

  /// Moves the unread bytes to the front and reads more behind them.
  private mutating func refill() throws {
    guard !atEnd else { return }
    let pending = end - start
    if start > 0 {
      buffer.withUnsafeMutableBufferPointer { bytes in
        _ = bytes.baseAddress!.update(from: bytes.baseAddress! + start, count: pending)
      }
      start = 0
      end = pending
    }
    if buffer.count - end < CSVRecordReader.chunkBytes / 2 {
      buffer.append(contentsOf: repeatElement(0, count: CSVRecordReader.chunkBytes))
    }
    let read = try buffer.withUnsafeMutableBytes { raw in
      try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
    }
    if read == 0 { atEnd = true }
    end += read
  }

  private func isValidText(_ from: Int, _ length: Int) -> Bool {
    buffer.withUnsafeBufferPointer { bytes in
      let record = UnsafeBufferPointer(rebasing: bytes[from..<from + length])
      return !record.contains(0) && String(validating: record, as: UTF8.self) != nil
    }
  }

  private func quoted(_ from: Int, _ length: Int, _ limit: Int) -> String {
    buffer.withUnsafeBufferPointer { bytes in
      let slice = bytes[from..<from + min(length, limit)]
      var text = String(decoding: slice, as: UTF8.self)
      while let last = text.last, last.isNewline { text.removeLast() }
      return text
    }
  }
}
