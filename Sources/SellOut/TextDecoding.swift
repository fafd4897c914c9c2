/// The character encodings the reader accepts.
public enum SellOutEncoding: String, Sendable, Hashable, CaseIterable {
  case utf8 = "utf-8"
  case utf8WithBOM = "utf-8-bom"
  case windows1251 = "windows-1251"
}

/// Decides how a file's bytes are text: UTF-8 (with or without a byte order mark) when they are
/// valid UTF-8, else Windows-1251. Control bytes mean the file is not text at all.
enum TextDecoding {
  enum Decoded {
    /// Valid UTF-8 from this offset on (3 skips the byte order mark).
    case utf8(bodyOffset: Int, encoding: SellOutEncoding)
    case transcoded([UInt8])
  }

  struct Failure: Error {
    let code: SellOutErrorCode
    let line: Int
    let value: String
    let reason: String
  }

  static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

  static func decode(_ raw: UnsafeBufferPointer<UInt8>) -> Result<Decoded, Failure> {
    if raw.count >= 2, (raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF) {
      return .failure(
        Failure(
          code: .encoding, line: 1, value: "UTF-16",
          reason: "UTF-16 text is not accepted; save the file as UTF-8 or Windows-1251"))
    }
    let hasBOM = raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF
    let bodyOffset = hasBOM ? 3 : 0
    if let offset = firstControlByte(raw) {
      return .failure(
        Failure(
          code: .binary, line: lineNumber(at: offset, in: raw), value: hex(raw[offset]),
          reason: "control byte \(hex(raw[offset])) at byte \(offset): this is not a text file "
            + "(a spreadsheet, an archive or UTF-16 text?)"))
    }
    let body = UnsafeBufferPointer(rebasing: raw[bodyOffset...])
    guard let invalid = firstInvalidUTF8(body) else {
      return .success(.utf8(bodyOffset: bodyOffset, encoding: hasBOM ? .utf8WithBOM : .utf8))
    }
    let invalidOffset = bodyOffset + invalid
    let invalidLine = lineNumber(at: invalidOffset, in: raw)
    if hasBOM {
      return .failure(
        Failure(
          code: .encoding, line: invalidLine, value: hex(raw[invalidOffset]),
          reason: "the file starts with a UTF-8 byte order mark but byte "
            + "\(hex(raw[invalidOffset])) at byte \(invalidOffset) is not UTF-8"))
    }
    guard let transcoded = Windows1251.transcodeToUTF8(raw) else {
      let undefined = raw.firstIndex(of: Windows1251.undefinedByte) ?? 0
      return .failure(
        Failure(
          code: .encoding, line: lineNumber(at: undefined, in: raw),
          value: hex(Windows1251.undefinedByte),
          reason: "neither UTF-8 (byte \(hex(raw[invalidOffset])) on line \(invalidLine)) nor "
            + "Windows-1251 (byte 0x98 at byte \(undefined) is undefined there)"))
    }
    return .success(.transcoded(transcoded))
  }

  /// NUL and the other C0 controls except tab, line feed and carriage return, and DEL.
  static func firstControlByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    bytes.firstIndex { byte in
      (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }
  }

  /// Offset of the first byte that does not start a well-formed UTF-8 sequence (no overlong
  /// forms, no surrogates, nothing above U+10FFFF); nil when all of it is UTF-8.
  static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    let count = bytes.count
    while index < count {
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      var lowest: UInt8 = 0x80
      var highest: UInt8 = 0xBF
      let continuation: Int
      switch lead {
      case 0xC2...0xDF: continuation = 1
      case 0xE0:
        continuation = 2
        lowest = 0xA0
      case 0xE1...0xEC, 0xEE, 0xEF: continuation = 2
      case 0xED:
        continuation = 2
        highest = 0x9F
      case 0xF0:
        continuation = 3
        lowest = 0x90
      case 0xF1...0xF3: continuation = 3
      case 0xF4:
        continuation = 3
        highest = 0x8F
      default: return index
      }
      guard index + continuation < count else { return index }
      guard (lowest...highest).contains(bytes[index + 1]) else { return index }
      for next in stride(from: index + 2, through: index + continuation, by: 1)
      where bytes[next] & 0xC0 != 0x80 {
        return index
      }
      index += continuation + 1
    }
    return nil
  }

  /// 1-based line of a byte offset; a lone carriage return ends a line as the scanner reads it.
  static func lineNumber(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var line = 1
    var index = 0
    while index < offset {
      let byte = bytes[index]
      if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
        line += 1
      }
      index += 1
    }
    return line
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
  }
}
