import RebateCore

/// A canonical, byte-stable text of a period's result lines and its SHA-256, so a recomputation
/// from the same inputs can be proven byte-identical and a closed period's result can be sealed.
public enum Fingerprint {
  /// One line per result, fields separated by `|`, sorted by dealer, mechanic, then the whole
  /// line text; separators and line breaks inside values are escaped so no two results collide.
  public static func canonicalText(_ lines: [ResultLine]) -> String {
    let rows = lines.map { line in (line.dealer, line.mechanic, row(line)) }
      .sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
    return rows.map { $0.2 + "\n" }.joined()
  }

  public static func sha256(_ lines: [ResultLine]) -> String { SHA256.hex(canonicalText(lines)) }

  /// Built as bytes and made a String once: rows carry every source document of a line.
  private static func row(_ line: ResultLine) -> String {
    let explanation = line.explanation
    var out: [UInt8] = []
    out.reserveCapacity(256 + explanation.formula.utf8.count + explanation.sources.count * 40)
    var first = true
    func field(_ value: String) {
      if !first { out.append(UInt8(ascii: "|")) }
      first = false
      appendEscaped(value, to: &out)
    }
    for value in [
      line.dealer, line.period.description, line.mechanic, line.amount.description,
      explanation.rule, explanation.formula, explanation.note ?? "",
    ] {
      field(value)
    }
    for input in explanation.inputs {
      field(input.name)
      out.append(UInt8(ascii: "="))
      appendEscaped(input.value, to: &out)
    }
    for source in explanation.sources {
      field(source.kind)
      out.append(UInt8(ascii: ","))
      appendEscaped(source.number, to: &out)
      out.append(UInt8(ascii: ","))
      if let day = source.day { out.append(contentsOf: day.description.utf8) }
      out.append(UInt8(ascii: ","))
      if let amount = source.amount { appendEscaped(amount.description, to: &out) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Escapes every separator the row uses, so any text round-trips to one unambiguous row.
  /// Byte by byte (a third of the close's CPU went to the per-character path): the separators
  /// are ASCII, and ASCII next to ASCII forms a character of its own except CR LF, which escapes
  /// to the same bytes either way. A separator next to a non-ASCII byte may belong to a larger
  /// character (a combining mark after it, a prepended one before it), left unescaped as such:
  /// that rare text keeps the per-character path.
  private static func appendEscaped(_ value: String, to out: inout [UInt8]) {
    var value = value
    let byCharacter = value.withUTF8 { utf8 -> Bool in
      var needsEscaping = false
      var nextToNonASCII = false
      var previous: UInt8 = 0
      var previousSpecial = false
      for byte in utf8 {
        let special = isSeparator(byte)
        if special {
          needsEscaping = true
          if previous >= 0x80 { nextToNonASCII = true }
        } else if previousSpecial && byte >= 0x80 {
          nextToNonASCII = true
        }
        previous = byte
        previousSpecial = special
      }
      guard !nextToNonASCII else { return true }
      guard needsEscaping else {
        out.append(contentsOf: utf8)
        return false
      }
      out.reserveCapacity(out.count + utf8.count + 8)
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "|"), UInt8(ascii: ","), UInt8(ascii: "="):
          out.append(UInt8(ascii: "\\"))
          out.append(byte)
        case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        default: out.append(byte)
        }
      }
      return false
    }
    if byCharacter { out.append(contentsOf: escapedByCharacter(value).utf8) }
  }

  private static func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: ",")
      || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
  }

  private static func escapedByCharacter(_ value: String) -> String {
    var text = ""
    for character in value {
      switch character {
      case "\\", "|", ",", "=": text += "\\" + String(character)
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\r\n": text += "\\r\\n"
      default: text.append(character)
      }
    }
    return text
  }
}
