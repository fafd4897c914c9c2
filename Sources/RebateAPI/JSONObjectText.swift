import RebateCore

/// Hand-built JSON for the hot routes, where Foundation's encoder cost more than the quote
/// itself. Keys are written in the order given (callers give them sorted, like the encoder).
struct JSONObjectText {
  private var text = "{"

  mutating func add(_ key: String, _ value: String?) {
    field(key, JSONText.quotedOrNull(value))
  }

  mutating func add(_ key: String, _ value: Int) { field(key, String(value)) }

  /// `value` is already JSON text (a nested object or array).
  mutating func add(_ key: String, json value: String) { field(key, value) }

  var result: String { text + "}" }

  private mutating func field(_ key: String, _ value: String) {
    if text.utf8.count > 1 { text += "," }
    text += JSONText.quoted(key) + ":" + value
  }

  static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}
