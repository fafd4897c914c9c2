/// The field separators dealers' exports use.
public enum SellOutDelimiter: UInt8, Sendable, Hashable, CaseIterable {
  case comma = 0x2C
  case semicolon = 0x3B
  case tab = 0x09

  /// The separator used most often outside quotes on the first line that is not blank; on a
  /// tie the less common in data wins (tab, then semicolon), because commas appear in values.
  static func detect(in text: UnsafeBufferPointer<UInt8>) -> SellOutDelimiter {
    var counts: [SellOutDelimiter: Int] = [:]
    var quoted = false
    var lineStart = 0
    for (index, byte) in text.enumerated() where byte != ASCII.space && byte != ASCII.tab {
      if byte != ASCII.lineFeed && byte != ASCII.carriageReturn {
        break
      }
      lineStart = index + 1
    }
    for byte in text[lineStart...] {
      if byte == ASCII.quote { quoted.toggle() }
      if !quoted && (byte == ASCII.lineFeed || byte == ASCII.carriageReturn) { break }
      if !quoted, let delimiter = SellOutDelimiter(rawValue: byte) {
        counts[delimiter, default: 0] += 1
      }
    }
    return [.tab, .semicolon, .comma].max { counts[$0, default: 0] < counts[$1, default: 0] }!
  }
}

enum ASCII {
  static let quote = UInt8(ascii: "\"")
  static let lineFeed: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
}

/// One field of a record: byte offsets of its content (inside the quotes when quoted).
struct CSVField {
  var start: Int
  var end: Int
  var quoted: Bool
  /// Quoted content with doubled quotes, which must be undoubled before use.
  var hasDoubledQuotes: Bool

  var byteCount: Int { end - start }
}

/// What breaks RFC 4180 quoting in a record.
enum QuoteProblem {
  case unterminated
  case textAfterClosingQuote
  case quoteInsideUnquotedField

  var reason: String {
    switch self {
    case .unterminated: return "a quoted field is never closed (the file ends inside quotes)"
    case .textAfterClosingQuote: return "text follows a closing quote; quote the whole field"
    case .quoteInsideUnquotedField:
      return "a quote inside an unquoted field; quote the field and double the inner quotes"
    }
  }
}

/// One record: fields, where it starts, and the raw bytes it spans (without the line end).
struct CSVRecord {
  var fields: [CSVField] = []
  var line = 0
  var start = 0
  var end = 0
  var problem: QuoteProblem? = nil
}

/// RFC 4180 records over UTF-8 bytes: quoted fields may hold delimiters, doubled quotes and line
/// breaks. Lines end with LF, CRLF or a lone CR. Fields are byte ranges, never Strings.
struct CSVScanner {
  let text: UnsafeBufferPointer<UInt8>
  let delimiter: UInt8
  private(set) var offset = 0
  private(set) var line = 1

  init(text: UnsafeBufferPointer<UInt8>, delimiter: SellOutDelimiter) {
    self.text = text
    self.delimiter = delimiter.rawValue
  }

  /// Fills `record` with the next record; false at the end of the text.
  mutating func next(into record: inout CSVRecord) -> Bool {
    guard offset < text.count else { return false }
    record.fields.removeAll(keepingCapacity: true)
    record.line = line
    record.start = offset
    record.problem = nil
    while true {
      if offset < text.count && text[offset] == ASCII.quote {
        scanQuoted(into: &record)
      } else {
        scanUnquoted(into: &record)
      }
      guard offset < text.count else {
        record.end = text.count
        return true
      }
      let byte = text[offset]
      if byte == delimiter {
        offset += 1
        continue
      }
      record.end = offset
      endLine()
      return true
    }
  }

  private mutating func scanUnquoted(into record: inout CSVRecord) {
    let start = offset
    while offset < text.count {
      let byte = text[offset]
      if byte == delimiter || byte == ASCII.lineFeed || byte == ASCII.carriageReturn { break }
      if byte == ASCII.quote && record.problem == nil { record.problem = .quoteInsideUnquotedField }
      offset += 1
    }
    record.fields.append(
      CSVField(start: start, end: offset, quoted: false, hasDoubledQuotes: false))
  }

  private mutating func scanQuoted(into record: inout CSVRecord) {
    let start = offset + 1
    var index = start
    var doubled = false
    while true {
      guard index < text.count else {
        record.problem = .unterminated
        record.fields.append(
          CSVField(start: start, end: text.count, quoted: true, hasDoubledQuotes: doubled))
        offset = text.count
        return
      }
      let byte = text[index]
      if byte == ASCII.quote {
        if index + 1 < text.count && text[index + 1] == ASCII.quote {
          doubled = true
          index += 2
          continue
        }
        break
      }
      if isLineEnd(at: index) { line += 1 }
      index += 1
    }
    record.fields.append(
      CSVField(start: start, end: index, quoted: true, hasDoubledQuotes: doubled))
    offset = index + 1
    // Anything between the closing quote and the next delimiter is dropped, and reported.
    while offset < text.count {
      let byte = text[offset]
      if byte == delimiter || byte == ASCII.lineFeed || byte == ASCII.carriageReturn { break }
      if record.problem == nil { record.problem = .textAfterClosingQuote }
      offset += 1
    }
  }

  /// A LF, or a CR not followed by LF (so CRLF counts once, at its LF).
  private func isLineEnd(at index: Int) -> Bool {
    let byte = text[index]
    return byte == ASCII.lineFeed
      || (byte == ASCII.carriageReturn
        && (index + 1 == text.count || text[index + 1] != ASCII.lineFeed))
  }

  private mutating func endLine() {
    if text[offset] == ASCII.carriageReturn && offset + 1 < text.count
      && text[offset + 1] == ASCII.lineFeed
    {
      offset += 1
    }
    offset += 1
    line += 1
  }
}
