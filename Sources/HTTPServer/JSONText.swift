/// Minimal JSON text building for the server's own bodies and log lines, so the hot path needs
/// no encoder.
enum JSONText {
  /// `text` as a JSON string literal, quotes included.
  static func quoted(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        out += "\\u00" + hexByte(UInt8(scalar.value))
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
    return out
  }

  static func quotedOrNull(_ text: String?) -> String {
    guard let text else { return "null" }
    return quoted(text)
  }

  private static func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
  }
}
