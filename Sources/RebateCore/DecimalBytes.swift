/// The strict parsers of `ExactDecimal`, `Money` and `Day` over UTF-8 bytes, for bulk input
/// (import files) where building a `String` per value and walking it by `Character` costs more
/// than the rest of the check. Same rules, same errors as the `String` versions.
extension ExactDecimal {
  public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(CoreError)
    -> ExactDecimal
  {
    var index = 0
    var negative = false
    if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      index = 1
    }
    guard index < bytes.count else { throw .invalidNumber(text(bytes), reason: "empty") }
    var units: Int128 = 0
    var scale = 0
    var seenSeparator = false
    var digits = 0
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if byte == UInt8(ascii: ".") {
        guard !seenSeparator else {
          throw .invalidNumber(text(bytes), reason: "two decimal separators")
        }
        seenSeparator = true
        continue
      }
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
        throw .invalidNumber(text(bytes), reason: "unexpected character")
      }
      digits += 1
      guard digits <= 30 else { throw .invalidNumber(text(bytes), reason: "more than 30 digits") }
      units = units * 10 + Int128(byte - UInt8(ascii: "0"))
      if seenSeparator { scale += 1 }
    }
    guard digits > 0 else { throw .invalidNumber(text(bytes), reason: "no digits") }
    guard scale <= maxScale else {
      throw .invalidNumber(text(bytes), reason: "more than 18 decimals")
    }
    return ExactDecimal(units: negative ? -units : units, scale: scale)
  }

  fileprivate static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
  }
}

extension Money {
  public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(CoreError) -> Money {
    let value = try ExactDecimal.parse(utf8: bytes)
    guard value.scale <= minorDigits else {
      throw .invalidNumber(
        ExactDecimal.text(bytes), reason: "more than \(minorDigits) decimals for money")
    }
    return try Money(exact: value)
  }
}

extension Day {
  /// `YYYY-MM-DD`, a day that exists.
  public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(CoreError) -> Day {
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      throw .invalidDate(ExactDecimal.text(bytes), reason: "expected YYYY-MM-DD")
    }
    var parts = (0, 0, 0)
    for (index, byte) in bytes.enumerated() where index != 4 && index != 7 {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
        throw .invalidDate(ExactDecimal.text(bytes), reason: "expected YYYY-MM-DD")
      }
      let digit = Int(byte - UInt8(ascii: "0"))
      switch index {
      case 0..<4: parts.0 = parts.0 * 10 + digit
      case 5..<7: parts.1 = parts.1 * 10 + digit
      default: parts.2 = parts.2 * 10 + digit
      }
    }
    return try Day(year: parts.0, month: parts.1, day: parts.2)
  }
}
