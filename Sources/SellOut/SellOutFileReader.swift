import RebateCore

/// One validated line of a dealer's sell-out report.
public struct SellOutLine: Sendable, Hashable {
  /// Physical line in the file where the record starts.
  public let lineNumber: Int
  public let day: Day
  /// Our SKU, after the dealer's cross-reference.
  public let sku: String
  /// Units sold; zero or negative only when the dealer's terms allow returns.
  public let quantity: Int64
  public let resalePrice: Money?

  public init(lineNumber: Int, day: Day, sku: String, quantity: Int64, resalePrice: Money?) {
    self.lineNumber = lineNumber
    self.day = day
    self.sku = sku
    self.quantity = quantity
    self.resalePrice = resalePrice
  }
}

/// An accepted file: every line valid, nothing dropped.
public struct SellOutFile: Sendable {
  public let sha256: String
  public let month: Period
  public let encoding: SellOutEncoding
  public let delimiter: SellOutDelimiter
  public let lines: [SellOutLine]
}

/// Reads a dealer's sell-out file: bytes in, either every line validated or every error out.
/// A file is accepted whole or rejected whole; nothing partial ever leaves the reader.
public struct SellOutFileReader: Sendable {
  public let settings: SellOutFileSettings
  private let codes: ProductCodeTable
  private let headerFields: [String: SellOutField]
  private let monthStart: Day
  private let monthDays: Int

  public init(settings: SellOutFileSettings) {
    self.settings = settings
    codes = ProductCodeTable(
      knownSKUs: settings.knownSKUs, crossReference: settings.crossReference)
    var names: [String: SellOutField] = [:]
    for field in SellOutField.allCases {
      for name in field.standardHeaders { names[name] = field }
    }
    // The dealer's own header names take precedence over the standard ones.
    for (name, field) in settings.columnMapping {
      names[SellOutField.normalizedHeader(name)] = field
    }
    headerFields = names
    monthStart = settings.month.firstDay
    monthDays = settings.month.firstDay.days(until: settings.month.lastDay) + 1
  }

  public func read(_ bytes: [UInt8]) throws(SellOutRejection) -> SellOutFile {
    try bytes.withUnsafeBufferPointer { result(of: $0) }.get()
  }

  public func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(SellOutRejection) -> SellOutFile {
    try result(of: bytes).get()
  }

  private func result(of raw: UnsafeBufferPointer<UInt8>) -> Result<SellOutFile, SellOutRejection> {
    var log = ErrorLog(limit: settings.limits.maxErrorsListed)
    let limit = settings.limits.maxFileBytes
    guard raw.count <= limit else {
      // Refused unread and unhashed: hashing 100 MB of what may be garbage is itself the attack.
      log.add(
        .tooLarge, line: 0, column: "", value: "\(raw.count) bytes",
        reason: "the file is larger than the limit of \(limit) bytes; send one file per month "
          + "or split it")
      return .failure(log.rejection(sha256: nil))
    }
    let sha256 = SHA256.hex(raw)
    switch TextDecoding.decode(raw) {
    case .failure(let failure):
      log.add(
        failure.code, line: failure.line, column: "", value: failure.value, reason: failure.reason)
      return .failure(log.rejection(sha256: sha256))
    case .success(.utf8(let bodyOffset, let encoding)):
      return parse(UnsafeBufferPointer(rebasing: raw[bodyOffset...]), encoding, sha256, &log)
    case .success(.transcoded(let text)):
      return text.withUnsafeBufferPointer { parse($0, .windows1251, sha256, &log) }
    }
  }

  private func parse(
    _ text: UnsafeBufferPointer<UInt8>, _ encoding: SellOutEncoding, _ sha256: String,
    _ log: inout ErrorLog
  ) -> Result<SellOutFile, SellOutRejection> {
    let delimiter = SellOutDelimiter.detect(in: text)
    var scanner = CSVScanner(text: text, delimiter: delimiter)
    var record = CSVRecord()
    var headerFound = false
    while scanner.next(into: &record) {
      if !isBlank(record, text) {
        headerFound = true
        break
      }
    }
    guard headerFound else {
      log.add(.empty, line: 0, column: "", value: "", reason: "the file has no text")
      return .failure(log.rejection(sha256: sha256))
    }
    guard let columns = columns(of: record, text, &log) else {
      return .failure(log.rejection(sha256: sha256))
    }
    var lines: [SellOutLine] = []
    var seen: [LineFingerprint: Int] = [:]
    var dataLines = 0
    while scanner.next(into: &record) {
      guard !isBlank(record, text) else { continue }
      dataLines += 1
      guard dataLines <= settings.limits.maxDataLines else {
        log.add(
          .tooManyLines, line: record.line, column: "", value: "",
          reason: "more than \(settings.limits.maxDataLines) data lines; split the file")
        break
      }
      guard let line = validate(record, text, columns, &log) else { continue }
      let fingerprint = LineFingerprint(
        UnsafeBufferPointer(rebasing: text[record.start..<record.end]))
      if let first = seen[fingerprint] {
        log.add(
          .duplicateLine, line: record.line, column: "", value: "",
          reason: "the same line as line \(first); merge the quantities into one line")
        continue
      }
      seen[fingerprint] = record.line
      // Once the file is rejected its lines are never used: stop keeping them.
      if log.isEmpty { lines.append(line) }
    }
    guard log.isEmpty else { return .failure(log.rejection(sha256: sha256)) }
    return .success(
      SellOutFile(
        sha256: sha256, month: settings.month, encoding: encoding, delimiter: delimiter,
        lines: lines))
  }

  /// Empty lines and lines of empty fields (";;;", which spreadsheets export) carry no data.
  private func isBlank(_ record: CSVRecord, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
    record.problem == nil
      && record.fields.allSatisfy { !$0.quoted && value(of: $0, text).isEmpty }
  }

  private func value(of field: CSVField, _ text: UnsafeBufferPointer<UInt8>)
    -> UnsafeBufferPointer<UInt8>
  {
    SellOutValues.trimmed(UnsafeBufferPointer(rebasing: text[field.start..<field.end]))
  }
}

/// Where each of our fields sits in the file, and what the dealer calls each column.
struct SellOutColumns {
  var names: [String]
  var positions: [SellOutField: Int]

  func name(_ field: SellOutField) -> String { positions[field].map { names[$0] } ?? "" }
}

extension SellOutFileReader {
  /// Maps the header to our fields; nil (with the errors logged) when a required one is missing
  /// or named twice.
  fileprivate func columns(
    of header: CSVRecord, _ text: UnsafeBufferPointer<UInt8>, _ log: inout ErrorLog
  ) -> SellOutColumns? {
    if let problem = header.problem {
      log.add(
        .quote, line: header.line, column: "",
        value: SellOutValues.shown(UnsafeBufferPointer(rebasing: text[header.start..<header.end])),
        reason: problem.reason)
      return nil
    }
    let names = header.fields.map {
      String(decoding: value(of: $0, text), as: UTF8.self)
    }
    var positions: [SellOutField: Int] = [:]
    for (index, name) in names.enumerated() {
      guard let field = headerFields[SellOutField.normalizedHeader(name)] else { continue }
      if let earlier = positions[field] {
        log.add(
          .headerDuplicate, line: header.line, column: name, value: name,
          reason: "columns '\(names[earlier])' and '\(name)' both give \(field.displayName)")
        continue
      }
      positions[field] = index
    }
    let headerText = SellOutValues.shown(
      UnsafeBufferPointer(rebasing: text[header.start..<header.end]))
    for field in SellOutField.allCases where field.isRequired && positions[field] == nil {
      log.add(
        .headerMissing, line: header.line, column: field.displayName, value: headerText,
        reason: "the first line must be a header with a \(field.displayName) column (accepted: "
          + field.standardHeaders.joined(separator: ", ") + ", or your agreed column names)")
    }
    return log.isEmpty ? SellOutColumns(names: names, positions: positions) : nil
  }

  /// Checks every field of one data record, logging each problem; the line when all is well.
  fileprivate func validate(
    _ record: CSVRecord, _ text: UnsafeBufferPointer<UInt8>, _ columns: SellOutColumns,
    _ log: inout ErrorLog
  ) -> SellOutLine? {
    let raw = UnsafeBufferPointer(rebasing: text[record.start..<record.end])
    if let problem = record.problem {
      log.add(
        .quote, line: record.line, column: "", value: SellOutValues.shown(raw),
        reason: problem.reason)
      return nil
    }
    guard record.fields.count == columns.names.count else {
      log.add(
        .ragged, line: record.line, column: "", value: SellOutValues.shown(raw),
        reason: "\(record.fields.count) fields where the header has \(columns.names.count)")
      return nil
    }
    let errorsBefore = log.total
    for (index, field) in record.fields.enumerated()
    where field.byteCount > settings.limits.maxFieldBytes {
      log.add(
        .fieldTooLong, line: record.line, column: columns.names[index],
        value: SellOutValues.shown(value(of: field, text)),
        reason: "longer than \(settings.limits.maxFieldBytes) bytes")
    }
    guard log.total == errorsBefore else { return nil }
    let cell = { (field: SellOutField) in value(of: record.fields[columns.positions[field]!], text)
    }
    let name = columns.name
    let day = day(cell(.date), record.line, name(.date), &log)
    let sku = sku(record.fields[columns.positions[.sku]!], text, record.line, name(.sku), &log)
    let quantity = quantity(cell(.quantity), record.line, name(.quantity), &log)
    var price: Money? = nil
    if columns.positions[.resalePrice] != nil {
      price = resalePrice(cell(.resalePrice), record.line, name(.resalePrice), &log)
    }
    guard let day, let sku, let quantity, log.total == errorsBefore else { return nil }
    return SellOutLine(
      lineNumber: record.line, day: day, sku: sku, quantity: quantity, resalePrice: price)
  }

  private func day(
    _ bytes: UnsafeBufferPointer<UInt8>, _ line: Int, _ column: String, _ log: inout ErrorLog
  ) -> Day? {
    guard !bytes.isEmpty else {
      log.add(.valueMissing, line: line, column: column, value: "", reason: "no date")
      return nil
    }
    let month = settings.month
    guard let parts = SellOutValues.dateParts(bytes) else {
      log.add(
        .date, line: line, column: column, value: SellOutValues.shown(bytes),
        reason: "not a date; write YYYY-MM-DD or DD.MM.YYYY")
      return nil
    }
    // Fast path: the lines of a valid file are all in the reported month.
    if parts.year == month.year && parts.month == month.index && (1...monthDays).contains(parts.day)
    {
      return monthStart.adding(days: parts.day - 1)
    }
    guard (try? Day(year: parts.year, month: parts.month, day: parts.day)) != nil else {
      log.add(
        .date, line: line, column: column, value: SellOutValues.shown(bytes),
        reason: "no such day in the calendar")
      return nil
    }
    log.add(
      .dateOutsideMonth, line: line, column: column, value: SellOutValues.shown(bytes),
      reason: "outside the reported month \(month); send it with that month's report")
    return nil
  }

  private func sku(
    _ field: CSVField, _ text: UnsafeBufferPointer<UInt8>, _ line: Int, _ column: String,
    _ log: inout ErrorLog
  ) -> String? {
    let bytes = value(of: field, text)
    guard !bytes.isEmpty else {
      log.add(.valueMissing, line: line, column: column, value: "", reason: "no product code")
      return nil
    }
    let entry: ProductCodeTable.Entry?
    if field.hasDoubledQuotes {
      let undoubled = Self.undoubleQuotes(bytes)
      entry = undoubled.withUnsafeBufferPointer { codes.lookup($0) }
    } else {
      entry = codes.lookup(bytes)
    }
    guard let entry, entry.known else {
      log.add(
        .skuUnknown, line: line, column: column, value: SellOutValues.shown(bytes),
        reason: entry.map { "your code maps to SKU \($0.sku), which is not in our catalogue" }
          ?? "neither our SKU nor one of your codes in the agreed cross-reference")
      return nil
    }
    return entry.sku
  }

  private static func undoubleQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var result: [UInt8] = []
    var index = 0
    while index < bytes.count {
      result.append(bytes[index])
      index += bytes[index] == ASCII.quote ? 2 : 1
    }
    return result
  }

  private func quantity(
    _ bytes: UnsafeBufferPointer<UInt8>, _ line: Int, _ column: String, _ log: inout ErrorLog
  ) -> Int64? {
    let shown = { SellOutValues.shown(bytes) }
    guard !bytes.isEmpty else {
      log.add(.valueMissing, line: line, column: column, value: "", reason: "no quantity")
      return nil
    }
    let limit = settings.limits.maxQuantityPerLine
    switch SellOutValues.number(bytes) {
    case .failure(.notANumber):
      log.add(.quantity, line: line, column: column, value: shown(), reason: "not a whole number")
      return nil
    case .failure(.tooLarge):
      log.add(
        .quantityRange, line: line, column: column, value: shown(),
        reason: "more than \(limit) units on one line")
      return nil
    case .success(let number):
      guard !number.hasFraction else {
        log.add(
          .quantityFraction, line: line, column: column, value: shown(),
          reason: "units are whole; a fraction cannot be sold")
        return nil
      }
      guard number.whole <= limit else {
        log.add(
          .quantityRange, line: line, column: column, value: shown(),
          reason: "more than \(limit) units on one line")
        return nil
      }
      let quantity = number.negative ? -number.whole : number.whole
      guard quantity > 0 || settings.allowsReturns else {
        log.add(
          .quantityNotAllowed, line: line, column: column, value: shown(),
          reason: quantity == 0
            ? "zero units; leave the line out"
            : "negative quantity (a return), which your terms do not allow in sell-out reports")
        return nil
      }
      return quantity
    }
  }

  private func resalePrice(
    _ bytes: UnsafeBufferPointer<UInt8>, _ line: Int, _ column: String, _ log: inout ErrorLog
  ) -> Money? {
    // The resale price is optional per line as well as per file.
    guard !bytes.isEmpty else { return nil }
    guard case .success(let number) = SellOutValues.number(bytes), !number.beyondHundredths,
      !number.negative
    else {
      log.add(
        .price, line: line, column: column, value: SellOutValues.shown(bytes),
        reason: "not a price: a non-negative amount with at most two decimals")
      return nil
    }
    return Money(minor: number.whole * Money.minorPerMajor + number.hundredths)
  }
}

/// 128 bits identifying a raw line, so that duplicates are found without keeping the lines; two
/// different lines share a fingerprint with a chance far below one in 10^20 per file.
struct LineFingerprint: Hashable {
  let high: UInt64
  let low: UInt64

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var high: UInt64 = 0xcbf2_9ce4_8422_2325
    var low: UInt64 = 0x9e37_79b9_7f4a_7c15
    for byte in bytes {
      high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      low = (low &+ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd
      low ^= low >> 29
    }
    self.high = high
    self.low = low ^ UInt64(bytes.count)
  }
}
