/// The one grammar every code that names something must follow: dealer, SKU, user, policy id,
/// invoice, credit-note and payment numbers, group and program ids.
///
/// Why a whitelist: Swift `String ==` compares by canonical equivalence while PostgreSQL compares
/// bytes. A code made only of the scalars below is in NFC and has no other canonically
/// equivalent spelling (no combining marks, no singletons, no compatibility forms), so the two
/// comparisons can never disagree about which dealer a code names. `Identifier` compares and
/// hashes by UTF-8 bytes all the same, so code that keys on it does not rely on that argument.
///
/// Allowed: ASCII letters and digits, Cyrillic letters U+0400–U+045F (Russian and the other
/// common Cyrillic alphabets, Ё/ё included, precomposed only), and the punctuation `- _ . / #`,
/// starting with a letter or a digit; 1 to `maximumLength` scalars. Nothing else: no spaces, no
/// control, format or bidi characters, no combining marks, no look-alike punctuation.
public struct Identifier: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The longest code accepted, in Unicode scalars (each at most 2 UTF-8 bytes here).
  public static let maximumLength = 64

  public let text: String

  /// A checked identifier; `what` names the field in the error ("dealer", "sku").
  public init(_ text: String, what: String) throws(IdentifierError) {
    if let reason = Self.problem(in: text) {
      throw IdentifierError(what: what, text: text, reason: reason)
    }
    self.text = text
  }

  /// Why `text` is not an identifier, or nil when it is one.
  public static func problem(in text: String) -> String? {
    var count = 0
    for scalar in text.unicodeScalars {
      count += 1
      if count > maximumLength { return "is longer than \(maximumLength) characters" }
      if count == 1 && !isLetterOrDigit(scalar) {
        return "must start with a letter or a digit, not \(describe(scalar))"
      }
      if !isAllowed(scalar) { return "holds \(describe(scalar)), which a code may not contain" }
    }
    return count == 0 ? "is empty" : nil
  }

  public static func isValid(_ text: String) -> Bool { problem(in: text) == nil }

  static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x400...0x45F: return true
    default: return false
    }
  }

  static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "-", "_", ".", "/", "#": return true
    default: return isLetterOrDigit(scalar)
    }
  }

  /// A scalar as a reader can see it: printable ones quoted, the rest as U+XXXX only, so an
  /// error message never echoes a control or bidi character.
  static func describe(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .spacingMark, .spaceSeparator, .lineSeparator,
      .paragraphSeparator, .control, .format, .unassigned, .privateUse, .surrogate:
      return code
    default: break
    }
    return "'\(Character(scalar))' (\(code))"
  }

  public var description: String { text }

  public static func == (lhs: Identifier, rhs: Identifier) -> Bool {
    lhs.text.utf8.elementsEqual(rhs.text.utf8)
  }

  public func hash(into hasher: inout Hasher) {
    for byte in text.utf8 { hasher.combine(byte) }
    hasher.combine(0xFF as UInt8)
  }

  /// Byte order, as PostgreSQL's `COLLATE "C"` sorts.
  public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
    lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
  }
}

/// A code that breaks the identifier grammar. Stable code `E-ID-INVALID`.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
  public static let code = "E-ID-INVALID"
  public let what: String
  /// The offending text made safe to print (see `Identifier.printable`).
  public let shown: String
  public let reason: String

  public init(what: String, text: String, reason: String) {
    self.what = what
    self.shown = Identifier.printable(text)
    self.reason = reason
  }

  public var code: String { Self.code }

  public var description: String { "\(Self.code): \(what) '\(shown)' \(reason)" }
}

extension Identifier {
  /// Text from outside made safe for a terminal or a log: control, format and bidi characters
  /// become `\u{XXXX}`, and anything past 80 scalars is cut with an ellipsis.
  public static func printable(_ text: String) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      count += 1
      if count > 80 {
        out += "…"
        break
      }
      if isControlOrFormat(scalar) {
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// C0 and C1 controls, DEL, and the format characters that reorder or hide text (bidi
  /// embeddings, overrides and isolates, zero-width characters, the BOM).
  public static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0xAD, 0x061C, 0x180E, 0x200B...0x200F, 0x2028...0x202E,
      0x2060...0x206F, 0xFEFF, 0xFFF9...0xFFFB:
      return true
    default: return false
    }
  }

  /// Why free text (a name, an address, a reason) cannot be stored, or nil when it can: any
  /// printable text, but no control or format character (tab and newline included, since every
  /// such field is one line), and at most `maximumLength` scalars.
  public static func freeTextProblem(in text: String, maximumLength: Int) -> String? {
    var count = 0
    for scalar in text.unicodeScalars {
      count += 1
      if count > maximumLength { return "is longer than \(maximumLength) characters" }
      if isControlOrFormat(scalar) {
        return "holds the control character \(describe(scalar))"
      }
    }
    return nil
  }
}
