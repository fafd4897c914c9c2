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

/// A row of COPY text: fields separated by tabs, `\N` for nil, backslash, tab and line breaks
/// escaped. Built as bytes: a close writes tens of kilobytes of explanation per dealer, and the
/// rows go to `PQputCopyData` as they are.
struct CopyRowBytes {
  private(set) var bytes: [UInt8] = []
  private var fields = 0

  mutating func field(_ value: String?) {
    guard var value else { return raw("\\N") }
    value.withUTF8 { field($0) }
  }

  mutating func field(_ utf8: UnsafeBufferPointer<UInt8>) {
    separate()
    guard utf8.contains(where: Self.needsEscaping) else { return bytes.append(contentsOf: utf8) }
    bytes.reserveCapacity(bytes.count + utf8.count + 16)
    for byte in utf8 {
      switch byte {
      case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
      case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      default: bytes.append(byte)
      }
    }
  }

  /// Ends the row; the next field starts a new one.
  mutating func endRow() {
    bytes.append(0x0A)
    fields = 0
  }

  private mutating func raw(_ text: String) {
    separate()
    bytes.append(contentsOf: text.utf8)
  }

  private mutating func separate() {
    if fields > 0 { bytes.append(0x09) }
    fields += 1
  }

  private static func needsEscaping(_ byte: UInt8) -> Bool {
    byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }
}

func copyLine(_ values: [String?]) -> String {
  var row = CopyRowBytes()
  for value in values { row.field(value) }
  row.endRow()
  return String(decoding: row.bytes, as: UTF8.self)
}
