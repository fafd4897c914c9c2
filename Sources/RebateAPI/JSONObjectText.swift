/// Hand-built JSON for the hot routes, where Foundation's encoder cost more than the quote
/// itself. Keys are written in the order given (callers give them sorted, like the encoder).
struct JSONObjectText {
  private var text = "{"

  mutating func add(_ key: String, _ value: String?) {
    field(key, value.map(Self.quoted) ?? "null")
  }

  mutating func add(_ key: String, _ value: Int) { field(key, String(value)) }

  /// `value` is already JSON text (a nested object or array).
  mutating func add(_ key: String, json value: String) { field(key, value) }

  var result: String { text + "}" }

  private mutating func field(_ key: String, _ value: String) {
    if text.utf8.count > 1 { text += "," }
    text += Self.quoted(key) + ":" + value
  }

  static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

  /// A JSON string literal: quotes, backslashes and control characters escaped.
  static func quoted(_ value: String) -> String {
    // Most values (codes, amounts, dates) need no escaping: copy them whole.
    if !value.utf8.contains(where: {
      $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
    }) {
      return "\"" + value + "\""
    }
    var out = "\""
    out.reserveCapacity(value.utf8.count + 2)
    for scalar in value.unicodeScalars {
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
}
