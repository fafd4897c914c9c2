/// Finds our SKU for the code a dealer wrote, straight from the file's bytes: a million lines
/// must not build a million Strings. Open addressing over FNV-1a hashes of the UTF-8 codes.
struct ProductCodeTable: Sendable {
  struct Entry: Sendable {
    let keyStart: Int
    let keyLength: Int
    /// Our SKU this code stands for.
    let sku: String
    /// False when a cross-reference points at a SKU our catalogue does not have.
    let known: Bool
  }

  private var keyBytes: [UInt8] = []
  private var entries: [Entry] = []
  private var slots: [Int32]
  private let mask: Int

  init(knownSKUs: Set<String>, crossReference: [String: String]) {
    let capacity = Self.slotCount(for: knownSKUs.count + crossReference.count)
    slots = [Int32](repeating: -1, count: capacity)
    mask = capacity - 1
    for sku in knownSKUs.sorted() { insert(code: sku, sku: sku, known: true) }
    // A dealer's code wins over our SKU of the same spelling: the dealer meant its own code.
    for (code, sku) in crossReference.sorted(by: { $0.key < $1.key }) {
      insert(code: code, sku: sku, known: knownSKUs.contains(sku))
    }
  }

  /// A power of two at least twice the entries, so probes stay short.
  private static func slotCount(for entries: Int) -> Int {
    var count = 16
    while count < entries * 2 { count *= 2 }
    return count
  }

  private mutating func insert(code: String, sku: String, known: Bool) {
    let bytes = Array(code.utf8)
    let entry = Entry(keyStart: keyBytes.count, keyLength: bytes.count, sku: sku, known: known)
    let slot = bytes.withUnsafeBufferPointer { probe(for: $0) }
    if slots[slot] >= 0 {
      entries[Int(slots[slot])] = Entry(
        keyStart: entries[Int(slots[slot])].keyStart, keyLength: bytes.count, sku: sku,
        known: known)
      return
    }
    keyBytes += bytes
    slots[slot] = Int32(entries.count)
    entries.append(entry)
  }

  /// The slot holding `code`, or the empty slot where it would go.
  private func probe(for code: UnsafeBufferPointer<UInt8>) -> Int {
    var slot = Int(truncatingIfNeeded: Self.hash(code)) & mask
    while slots[slot] >= 0 && !matches(entries[Int(slots[slot])], code) {
      slot = (slot + 1) & mask
    }
    return slot
  }

  private func matches(_ entry: Entry, _ code: UnsafeBufferPointer<UInt8>) -> Bool {
    guard entry.keyLength == code.count else { return false }
    for index in 0..<code.count where keyBytes[entry.keyStart + index] != code[index] {
      return false
    }
    return true
  }

  func lookup(_ code: UnsafeBufferPointer<UInt8>) -> Entry? {
    let slot = probe(for: code)
    return slots[slot] >= 0 ? entries[Int(slots[slot])] : nil
  }

  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }
}
