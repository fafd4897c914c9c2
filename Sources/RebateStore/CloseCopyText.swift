import RebateCore

/// PostgreSQL's COPY text format, both ways, without a String per field on the hot path: rows
/// of the close's document stream are split into byte ranges and numbers read in place.
struct CopyRow {
  /// Field byte ranges in `bytes`; nil for `\N`.
  private(set) var fields: [Range<Int>?] = []
  private(set) var bytes: [UInt8] = []

  /// Splits one row (its trailing newline optional). Escaped fields are unescaped into `bytes`.
  mutating func load(_ raw: UnsafeRawBufferPointer) {
    fields.removeAll(keepingCapacity: true)
    bytes.removeAll(keepingCapacity: true)
    var end = raw.count
    if end > 0 && raw[end - 1] == 0x0A { end -= 1 }
    var start = 0
    var index = 0
    var escaped = false
    while index <= end {
      if index == end || raw[index] == 0x09 {
        let isNull = index - start == 2 && raw[start] == 0x5C && raw[start + 1] == 0x4E
        if isNull {
          fields.append(nil)
        } else {
          let from = bytes.count
          if escaped {
            unescape(raw, start, index)
          } else {
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<index]))
          }
          fields.append(from..<bytes.count)
        }
        start = index + 1
        escaped = false
      } else if raw[index] == 0x5C {
        escaped = true
      }
      index += 1
    }
  }

  private mutating func unescape(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
    var index = start
    while index < end {
      let byte = raw[index]
      guard byte == 0x5C, index + 1 < end else {
        bytes.append(byte)
        index += 1
        continue
      }
      let next = raw[index + 1]
      switch next {
      case UInt8(ascii: "n"): bytes.append(0x0A)
      case UInt8(ascii: "r"): bytes.append(0x0D)
      case UInt8(ascii: "t"): bytes.append(0x09)
      case UInt8(ascii: "b"): bytes.append(0x08)
      case UInt8(ascii: "f"): bytes.append(0x0C)
      case UInt8(ascii: "v"): bytes.append(0x0B)
      default: bytes.append(next)
      }
      index += 2
    }
  }

  var count: Int { fields.count }

  func isNull(_ field: Int) -> Bool { fields[field] == nil }

  func string(_ field: Int) -> String? {
    guard let range = fields[field] else { return nil }
    return bytes.withUnsafeBufferPointer { String(decoding: $0[range], as: UTF8.self) }
  }

  func int64(_ field: Int) -> Int64? {
    guard let range = fields[field], !range.isEmpty else { return nil }
    var value: Int64 = 0
    var negative = false
    for index in range {
      let byte = bytes[index]
      if index == range.lowerBound && byte == UInt8(ascii: "-") {
        negative = true
        continue
      }
      guard (0x30...0x39).contains(byte) else { return nil }
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
      guard !overflow1 && !overflow2 else { return nil }
      value = sum
    }
    return negative ? -value : value
  }

  /// `YYYY-MM-DD`, as PostgreSQL prints a date in ISO style.
  func day(_ field: Int) -> Day? {
    guard let range = fields[field], range.count == 10 else { return nil }
    func number(_ from: Int, _ length: Int) -> Int? {
      var value = 0
      for index in range.lowerBound + from..<range.lowerBound + from + length {
        let byte = bytes[index]
        guard (0x30...0x39).contains(byte) else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let dayOfMonth = number(8, 2) else {
      return nil
    }
    return try? Day(year: year, month: month, day: dayOfMonth)
  }
}

/// One COPY text field: `\N` for nil, backslash, tab and line breaks escaped.
func copyField(_ value: String?) -> String {
  guard let value else { return "\\N" }
  // Scanned as one contiguous buffer: explanations are kilobytes each, and the iterator over
  // `utf8` cost more than the rest of the row.
  var scanned = value
  let needsEscaping = scanned.withUTF8 { bytes in
    bytes.contains { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
  }
  guard needsEscaping else { return value }
  var out = ""
  for character in value.unicodeScalars {
    switch character {
    case "\\": out += "\\\\"
    case "\t": out += "\\t"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    default: out.unicodeScalars.append(character)
    }
  }
  return out
}

func copyLine(_ values: [String?]) -> String {
  values.map(copyField).joined(separator: "\t") + "\n"
}
