import PostgresClient
import RebateCore
import SellOut

/// Sell-out submissions, the dealer settings their files are read with, and the channel
/// inventory they feed. It borrows its connection from the caller (one owner at a time).
public struct SellOutStore {
  public let connection: Connection

  public init(connection: Connection) {
    self.connection = connection
  }

  /// A dealer's agreed column names and product codes are bounded: an export has a handful of
  /// columns, and a cross-reference lists at most the dealer's whole assortment.
  public static let maxColumnMappings = 50
  public static let maxCodesPerDealer = 200_000

  /// Fails with `E-SELLOUT-UNKNOWN-DEALER` unless the dealer exists; `lock` also holds the
  /// dealer's row until the transaction ends, so two submissions of one dealer never race.
  func requireDealer(_ dealer: String, lock: Bool = false) throws {
    let rows = try connection.query(
      "SELECT 1 FROM dealers WHERE dealer_id = $1" + (lock ? " FOR UPDATE" : ""), [dealer],
      purpose: "find dealer \(dealer)")
    guard rows.rowCount == 1 else { throw SellOutStoreError.unknownDealer(dealer) }
  }

  /// What the reader needs for one dealer's file of one month.
  public func readerSettings(dealer: String, month: Period) throws -> SellOutFileSettings {
    var mapping: [String: SellOutField] = [:]
    for row in try connection.query(
      "SELECT header, field FROM sellout_column_mappings WHERE dealer_id = $1 ORDER BY header",
      [dealer], purpose: "read column names of \(dealer)"
    ).rows {
      let text = try row.string("field")
      guard let field = SellOutField(rawValue: text) else {
        throw StoreError.corruptValue(
          table: "sellout_column_mappings", key: dealer, reason: "field \(text)")
      }
      mapping[try row.string("header")] = field
    }
    var codes: [String: String] = [:]
    for row in try connection.query(
      "SELECT dealer_code, sku FROM sellout_code_xref WHERE dealer_id = $1", [dealer],
      purpose: "read product codes of \(dealer)"
    ).rows {
      codes[try row.string("dealer_code")] = try row.string("sku")
    }
    let skus = try connection.query("SELECT sku FROM products", purpose: "read the catalogue")
    let returns = try connection.query(
      "SELECT allows_returns FROM sellout_dealer_settings WHERE dealer_id = $1", [dealer],
      purpose: "read sell-out settings of \(dealer)")
    return SellOutFileSettings(
      month: month, allowsReturns: try returns.rows.first?.bool("allows_returns") ?? false,
      columnMapping: mapping, crossReference: codes,
      knownSKUs: Set(try skus.rows.map { try $0.string("sku") }))
  }

  /// Maps one of the dealer's column names to a field; a nil field removes the mapping.
  public func mapColumn(dealer: String, header: String, to field: SellOutField?) throws {
    try connection.transaction(purpose: "map column of \(dealer)") { connection in
      try requireDealer(dealer)
      guard let field else {
        try connection.execute(
          "DELETE FROM sellout_column_mappings WHERE dealer_id = $1 AND header = $2",
          [dealer, header], purpose: "unmap column '\(header)' of \(dealer)")
        return
      }
      try connection.execute(
        """
        INSERT INTO sellout_column_mappings (dealer_id, header, field) VALUES ($1, $2, $3)
        ON CONFLICT (dealer_id, header) DO UPDATE SET field = EXCLUDED.field
        """, [dealer, header, field.rawValue], purpose: "map column '\(header)' of \(dealer)")
      let count = try connection.query(
        "SELECT count(*) AS n FROM sellout_column_mappings WHERE dealer_id = $1", [dealer],
        purpose: "count column names of \(dealer)")[0].int("n")
      guard count <= Self.maxColumnMappings else {
        throw SellOutStoreError.codeList(
          file: "column names", line: 0, value: header,
          reason: "more than \(Self.maxColumnMappings) agreed column names")
      }
    }
  }

  public func columnMappings(dealer: String) throws -> [(header: String, field: String)] {
    try connection.query(
      "SELECT header, field FROM sellout_column_mappings WHERE dealer_id = $1 ORDER BY header",
      [dealer], purpose: "read column names of \(dealer)"
    ).rows.map { (try $0.string("header"), try $0.string("field")) }
  }

  /// Replaces the dealer's whole cross-reference with `pairs` (dealer code, our SKU). Every
  /// problem is collected first; with any, nothing changes.
  public func replaceCodes(
    dealer: String, file: String, pairs: [(line: Int, code: String, sku: String)]
  )
    throws -> Int
  {
    guard pairs.count <= Self.maxCodesPerDealer else {
      throw SellOutStoreError.codeList(
        file: file, line: 0, value: "\(pairs.count) codes",
        reason: "more than \(Self.maxCodesPerDealer) codes")
    }
    return try connection.transaction(purpose: "replace product codes of \(dealer)") {
      connection in
      try requireDealer(dealer, lock: true)
      let known = Set(
        try connection.query("SELECT sku FROM products", purpose: "read the catalogue").rows.map {
          try $0.string("sku")
        })
      var problems: [SellOutStoreError] = []
      var seen: [String: Int] = [:]
      for pair in pairs {
        if !known.contains(pair.sku) {
          problems.append(
            .codeList(
              file: file, line: pair.line, value: pair.sku, reason: "no such SKU in our catalogue"))
        }
        if let first = seen[pair.code] {
          problems.append(
            .codeList(
              file: file, line: pair.line, value: pair.code,
              reason: "code already mapped on line \(first)"))
        }
        seen[pair.code] = seen[pair.code] ?? pair.line
      }
      guard problems.isEmpty else { throw SellOutCodeProblems(problems: problems) }
      try connection.execute(
        "DELETE FROM sellout_code_xref WHERE dealer_id = $1", [dealer],
        purpose: "clear product codes of \(dealer)")
      try connection.copyIn(
        "COPY sellout_code_xref (dealer_id, dealer_code, sku) FROM STDIN",
        purpose: "load product codes of \(dealer)"
      ) { writer in
        var buffer: [UInt8] = []
        for pair in pairs {
          CopyText.appendField(dealer, to: &buffer)
          CopyText.appendField(pair.code, to: &buffer)
          CopyText.appendField(pair.sku, to: &buffer, last: true)
        }
        try writer.send(buffer)
      }
      return pairs.count
    }
  }

  /// Lets (or stops) the dealer's reports carry zero and negative quantities.
  public func setAllowsReturns(dealer: String, _ allowed: Bool) throws {
    try requireDealer(dealer)
    try connection.execute(
      """
      INSERT INTO sellout_dealer_settings (dealer_id, allows_returns) VALUES ($1, $2::boolean)
      ON CONFLICT (dealer_id) DO UPDATE SET allows_returns = EXCLUDED.allows_returns
      """, [dealer, allowed ? "true" : "false"], purpose: "set returns of \(dealer)")
  }
}

/// Every problem of a refused cross-reference file.
public struct SellOutCodeProblems: Error, Sendable, CustomStringConvertible {
  public let problems: [SellOutStoreError]
  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// COPY's text format: fields separated by tabs, rows ended by newlines, and backslash, tab,
/// newline and carriage return escaped inside a field.
enum CopyText {
  static func appendField(_ text: String, to buffer: inout [UInt8], last: Bool = false) {
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\\"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case UInt8(ascii: "\t"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case UInt8(ascii: "\n"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case UInt8(ascii: "\r"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      default: buffer.append(byte)
      }
    }
    buffer.append(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
  }

  static let null: [UInt8] = Array("\\N".utf8)

  /// Decimal digits of an integer, without building a String.
  static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
    if value < 0 { buffer.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { storage in
      repeat {
        storage[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(storage[index]) }
    }
  }
}
