/// JSON string literals written by hand: the pure core has no Foundation, and the server's hot
/// routes and the close's stored explanations cannot afford an encoder per value. The one
/// escaping rule for every hand-built JSON text in the package.
public enum JSONText {
  /// `text` as a JSON string literal, quotes included: quote, backslash and control characters
  /// escaped, everything else (non-ASCII included) as it is.
  public static func quoted(_ text: String) -> String {
    // Most text (codes, amounts, dates) needs no escaping: one scan of the bytes, then one copy.
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      return "\"" + text + "\""
    }
    var out = "\""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `text` quoted, or `null` when there is none.
  public static func quotedOrNull(_ text: String?) -> String {
    text.map(quoted) ?? "null"
  }
}
