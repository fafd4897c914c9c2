/// JSON string literals written by hand: the pure core has no Foundation, and the server's hot
/// routes and the close's stored explanations cannot afford an encoder per value. The one
/// escaping rule for every hand-built JSON text in the package.
public enum JSONText {
  /// `text` as a JSON string literal, quotes included: quote, backslash and control characters
  /// escaped, everything else (non-ASCII included) as it is.
  public static func quoted(_ text: String) -> String {
    // Most text needs no escaping: one scan, one concatenation.
    if !text.utf8.contains(where: needsEscaping) { return "\"" + text + "\"" }
    var bytes: [UInt8] = []
    appendQuoted(text, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `quoted(text)` appended as UTF-8 bytes, for texts assembled in one buffer (the close's
  /// stored explanations run to tens of kilobytes per dealer). Byte by byte: every byte to
  /// escape is ASCII, and no byte of a multi-byte UTF-8 sequence is below 0x80.
  public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
    var text = text
    text.withUTF8 { utf8 in
      bytes.reserveCapacity(bytes.count + utf8.count + 2)
      bytes.append(UInt8(ascii: "\""))
      defer { bytes.append(UInt8(ascii: "\"")) }
      // Most text (codes, amounts, dates, formulas) needs no escaping: one scan, one copy.
      guard utf8.contains(where: needsEscaping) else {
        return bytes.append(contentsOf: utf8)
      }
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
          bytes.append(UInt8(ascii: "\\"))
          bytes.append(byte)
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
          let hex = Array("0123456789abcdef".utf8)
          bytes.append(contentsOf: Array("\\u00".utf8))
          bytes.append(hex[Int(byte >> 4)])
          bytes.append(hex[Int(byte & 0x0F)])
        default: bytes.append(byte)
        }
      }
    }
  }

  private static func needsEscaping(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == 0x22 || byte == 0x5C
  }

  /// `text` quoted, or `null` when there is none.
  public static func quotedOrNull(_ text: String?) -> String {
    text.map(quoted) ?? "null"
  }
}
