import RebateCore

/// Hand-built JSON for the hot routes, where Foundation's encoder cost more than the quote
/// itself. It writes straight into the response bytes: growing a `String` field by field was
/// a tenth of a quote's CPU time and most of its allocations. Keys are written in the order
/// given (callers give them sorted, like the encoder); string values are escaped by `JSONText`.
struct JSONObjectText {
  private var bytes: [UInt8]

  /// `capacity`: the expected size in bytes, so the buffer is allocated once.
  init(capacity: Int) {
    bytes = []
    bytes.reserveCapacity(capacity)
    bytes.append(UInt8(ascii: "{"))
  }

  mutating func add(_ key: StaticString, _ value: String?) {
    field(key)
    if let value {
      JSONText.appendQuoted(value, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
  }

  mutating func add(_ key: StaticString, _ value: Int) {
    field(key)
    bytes.append(contentsOf: String(value).utf8)
  }

  /// An array of objects, each written by `write` into a fresh object.
  mutating func add<Element>(
    _ key: StaticString, objects elements: [Element],
    _ write: (inout JSONObjectText, Element) -> Void
  ) {
    field(key)
    bytes.append(UInt8(ascii: "["))
    for (index, element) in elements.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      var object = JSONObjectText(continuing: &bytes)
      write(&object, element)
      bytes = object.finish()
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// Closes the object and hands over its bytes; the builder is left empty.
  mutating func finish() -> [UInt8] {
    bytes.append(UInt8(ascii: "}"))
    defer { bytes = [] }
    return bytes
  }

  /// A nested object writes on in its parent's buffer, moved in (not copied) and handed back
  /// by `finish()`.
  private init(continuing buffer: inout [UInt8]) {
    bytes = buffer
    buffer = []
    bytes.append(UInt8(ascii: "{"))
  }

  /// Keys are literals in the code (lower-case words and underscores), so they need no
  /// escaping and are copied as they are.
  private mutating func field(_ key: StaticString) {
    if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
    bytes.append(UInt8(ascii: "\""))
    key.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
  }
}
