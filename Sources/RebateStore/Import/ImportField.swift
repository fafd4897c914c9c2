import RebateCore

/// One column of an import file and the rule its text must follow, checked in Swift while the
/// file streams (RebateCore's strict parsers give the typed value).
struct ImportField: Sendable {
  enum Kind: Sendable {
    /// Free text, at most `maxTextLength` characters.
    case text
    /// A short code such as payment terms (`prepayment`, `net30`), at most `maxLabelLength`
    /// characters: a policy condition names it, so anything longer is a mistake, not a code.
    case label
    /// One of a fixed set of words.
    case choice([String])
    /// Money, `1234.50`: at most two decimals, not negative; typed as bigint minor units.
    case amount
    /// Money that must be above zero.
    case positiveAmount
    /// A whole number above zero.
    case positiveInteger
    /// `YYYY-MM-DD`, a real calendar day.
    case date
    /// A percentage such as `20` or `12.5`, below 100.
    case percent
  }

  /// A checked, typed value.
  enum Value: Equatable {
    case text(String)
    case day(Day)
    /// Money in minor units, or a whole number.
    case integer(Int64)
    case decimal(ExactDecimal)

    /// The value as PostgreSQL reads it in COPY text format (and as error messages show it).
    var plainText: String {
      switch self {
      case .text(let text): return text
      case .day(let day): return day.description
      case .integer(let number): return String(number)
      case .decimal(let decimal): return decimal.normalized.description
      }
    }
  }

  enum Checked {
    case value(Value)
    /// Empty and not required.
    case empty
    case problem(code: String, reason: String)
  }

  /// Longest text value accepted, in characters.
  static let maxTextLength = 200
  /// Longest label accepted, in characters.
  static let maxLabelLength = 40
  /// Digits before the decimal point of an amount (keeps minor units far inside Int64).
  static let maxAmountDigits = 15
  static let maxWholeDigits = 12
  static let amountReason =
    "is not an amount like 1234.50 (dot decimals, at most 2, not negative)"

  let name: String
  let kind: Kind
  let required: Bool

  init(_ name: String, _ kind: Kind, required: Bool = true) {
    precondition(name.allSatisfy { $0.isLowercase || $0 == "_" }, "column names are identifiers")
    self.name = name
    self.kind = kind
    self.required = required
  }

  /// The 1-based position of a column, so problems list in file order.
  static func position(of column: String, in fields: [ImportField]) -> Int {
    guard let index = fields.firstIndex(where: { $0.name == column }) else {
      preconditionFailure("no column \(column)")
    }
    return index + 1
  }

  /// The column's type in the typed staging table.
  var sqlType: String {
    switch kind {
    case .text, .label, .choice: return "text"
    case .amount, .positiveAmount, .positiveInteger: return "bigint"
    case .date: return "date"
    case .percent: return "numeric"
    }
  }

  /// Checks the trimmed bytes of one cell.
  func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Checked {
    guard !bytes.isEmpty else {
      return required ? .problem(code: "E-IMPORT-REQUIRED", reason: "is required") : .empty
    }
    switch kind {
    case .text: return Self.checkText(bytes, maxLength: ImportField.maxTextLength)
    case .label: return Self.checkText(bytes, maxLength: ImportField.maxLabelLength)
    case .choice(let words):
      let text = String(decoding: bytes, as: UTF8.self)
      guard words.contains(text) else {
        return .problem(
          code: "E-IMPORT-VALUE", reason: "must be one of \(words.joined(separator: ", "))")
      }
      return .value(.text(text))
    case .amount, .positiveAmount:
      return checkAmount(bytes, positive: kind.isPositiveAmount)
    case .positiveInteger:
      guard bytes.count <= ImportField.maxWholeDigits, bytes.allSatisfy(Self.isDigit),
        let number = try? ExactDecimal.parse(utf8: bytes).units
      else { return .problem(code: "E-IMPORT-NUMBER", reason: "is not a whole number") }
      guard number > 0 else {
        return .problem(code: "E-IMPORT-NUMBER", reason: "must be above zero")
      }
      return .value(.integer(Int64(number)))
    case .date:
      guard let day = try? Day.parse(utf8: bytes) else {
        return .problem(code: "E-IMPORT-DATE", reason: "is not a date YYYY-MM-DD that exists")
      }
      return .value(.day(day))
    case .percent:
      guard Self.isDecimal(bytes, integerDigits: 2, decimals: 4),
        let rate = try? ExactDecimal.parse(utf8: bytes)
      else {
        return .problem(
          code: "E-IMPORT-NUMBER", reason: "is not a percentage below 100 like 20 or 12.5")
      }
      return .value(.decimal(rate))
    }
  }

  private static func checkText(_ bytes: UnsafeBufferPointer<UInt8>, maxLength: Int) -> Checked {
    let text = String(decoding: bytes, as: UTF8.self)
    // Bytes bound characters from above: counting characters is needed only past the limit.
    guard bytes.count <= maxLength || text.count <= maxLength else {
      return .problem(code: "E-IMPORT-VALUE", reason: "is longer than \(maxLength) characters")
    }
    return .value(.text(text))
  }

  private func checkAmount(_ bytes: UnsafeBufferPointer<UInt8>, positive: Bool) -> Checked {
    guard Self.isDecimal(bytes, integerDigits: ImportField.maxAmountDigits, decimals: 2),
      let money = try? Money.parse(utf8: bytes)
    else { return .problem(code: "E-IMPORT-NUMBER", reason: ImportField.amountReason) }
    guard !positive || money.minor > 0 else {
      return .problem(code: "E-IMPORT-NUMBER", reason: "must be above zero")
    }
    return .value(.integer(money.minor))
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// `^[0-9]{1,integerDigits}([.][0-9]{1,decimals})?$`: the written form the file format
  /// allows (the core parsers also accept signs, which files may not carry).
  private static func isDecimal(
    _ bytes: UnsafeBufferPointer<UInt8>, integerDigits: Int, decimals: Int
  ) -> Bool {
    let dot = bytes.firstIndex(of: UInt8(ascii: "."))
    let integerCount = dot ?? bytes.count
    guard (1...integerDigits).contains(integerCount),
      bytes[..<integerCount].allSatisfy(isDigit)
    else { return false }
    guard let dot else { return true }
    let fraction = bytes[(dot + 1)...]
    return (1...decimals).contains(fraction.count) && fraction.allSatisfy(isDigit)
  }
}

extension ImportField.Kind {
  fileprivate var isPositiveAmount: Bool {
    if case .positiveAmount = self { return true }
    return false
  }
}
