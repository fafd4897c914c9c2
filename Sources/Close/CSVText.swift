/// RFC 4180 fields: quoted when they hold a separator, a quote or a line break. A leading
/// `= + - @` is prefixed with `'` so a spreadsheet never runs a cell as a formula.
enum CSVText {
  static func field(_ value: String) -> String {
    var text = value
    if let first = text.first, "=+@".contains(first) || (first == "-" && !isNumber(text)) {
      text = "'" + text
    }
    guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
    return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
  }

  static func row(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  /// Negative amounts like `-6000.00` stay numbers.
  private static func isNumber(_ text: String) -> Bool {
    text.dropFirst().allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
      && text.count > 1
  }
}

extension String {
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
