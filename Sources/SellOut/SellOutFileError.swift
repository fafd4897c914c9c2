/// Stable codes of everything that can be wrong with a dealer's sell-out file (docs/errors.md).
public enum SellOutErrorCode: String, Sendable, Hashable, CaseIterable {
  case tooLarge = "E-SELLOUT-TOO-LARGE"
  case empty = "E-SELLOUT-EMPTY"
  case encoding = "E-SELLOUT-ENCODING"
  case binary = "E-SELLOUT-BINARY"
  case tooManyLines = "E-SELLOUT-TOO-MANY-LINES"
  case headerMissing = "E-SELLOUT-HEADER-MISSING"
  case headerDuplicate = "E-SELLOUT-HEADER-DUPLICATE"
  case quote = "E-SELLOUT-QUOTE"
  case ragged = "E-SELLOUT-RAGGED"
  case fieldTooLong = "E-SELLOUT-FIELD-TOO-LONG"
  case valueMissing = "E-SELLOUT-VALUE-MISSING"
  case date = "E-SELLOUT-DATE"
  case dateOutsideMonth = "E-SELLOUT-DATE-OUTSIDE-MONTH"
  case skuUnknown = "E-SELLOUT-SKU-UNKNOWN"
  case quantity = "E-SELLOUT-QTY"
  case quantityFraction = "E-SELLOUT-QTY-FRACTION"
  case quantityNotAllowed = "E-SELLOUT-QTY-NOT-ALLOWED"
  case quantityRange = "E-SELLOUT-QTY-RANGE"
  case price = "E-SELLOUT-PRICE"
  case duplicateLine = "E-SELLOUT-DUPLICATE-LINE"
}

/// One thing wrong with a file, placed so that the dealer can find and fix it.
public struct SellOutFileError: Sendable, Hashable, CustomStringConvertible {
  public let code: SellOutErrorCode
  /// Physical line where the record starts (1 = first line); 0 for the file as a whole.
  public let line: Int
  /// The column's name as the dealer's header writes it; empty for a whole line or file.
  public let column: String
  /// The offending text, shortened to `SellOutLimits.maxValueShownBytes`.
  public let value: String
  public let reason: String

  public init(code: SellOutErrorCode, line: Int, column: String, value: String, reason: String) {
    self.code = code
    self.line = line
    self.column = column
    self.value = value
    self.reason = reason
  }

  public var description: String {
    let place = line == 0 ? "file" : "line \(line)" + (column.isEmpty ? "" : ", column '\(column)'")
    let shown = value.isEmpty ? "" : " '\(value)'"
    return "\(code.rawValue): \(place):\(shown) \(reason)"
  }
}

/// A rejected file: nothing of it is kept as data, every error is listed up to the limit.
public struct SellOutRejection: Error, Sendable, Hashable, CustomStringConvertible {
  /// SHA-256 of the raw bytes; nil only for a file refused as too large before reading it.
  public let sha256: String?
  public let errors: [SellOutFileError]
  /// Errors found beyond the listed ones ("and N more").
  public let unlistedErrorCount: Int

  public init(sha256: String?, errors: [SellOutFileError], unlistedErrorCount: Int) {
    precondition(!errors.isEmpty, "a rejection names at least one error")
    self.sha256 = sha256
    self.errors = errors
    self.unlistedErrorCount = unlistedErrorCount
  }

  public var description: String {
    let more = unlistedErrorCount > 0 ? ["and \(unlistedErrorCount) more"] : []
    return (errors.map(\.description) + more).joined(separator: "\n")
  }
}

/// Collects errors, keeping the first few in full and only counting the rest, so a file with a
/// million bad lines costs no more memory than one with a hundred.
struct ErrorLog {
  let limit: Int
  private(set) var listed: [SellOutFileError] = []
  private(set) var total = 0

  init(limit: Int) { self.limit = limit }

  var isEmpty: Bool { total == 0 }

  mutating func add(
    _ code: SellOutErrorCode, line: Int, column: @autoclosure () -> String,
    value: @autoclosure () -> String, reason: @autoclosure () -> String
  ) {
    total += 1
    guard listed.count < limit else { return }
    listed.append(
      SellOutFileError(code: code, line: line, column: column(), value: value(), reason: reason()))
  }

  func rejection(sha256: String?) -> SellOutRejection {
    SellOutRejection(sha256: sha256, errors: listed, unlistedErrorCount: total - listed.count)
  }
}
