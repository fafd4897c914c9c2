import CLibPQ

/// The rows a statement returned, in text format. Owns the libpq result and frees it once.
public final class QueryResult {
  private let handle: OpaquePointer
  public let purpose: String
  public let rowCount: Int
  public let columnNames: [String]
  private let columnIndex: [String: Int32]

  init(handle: OpaquePointer, purpose: String) {
    self.handle = handle
    self.purpose = purpose
    rowCount = Int(PQntuples(handle))
    let names = (0..<PQnfields(handle)).map {
      PQfname(handle, $0).map { String(cString: $0) } ?? ""
    }
    columnNames = names
    columnIndex = Dictionary(
      names.enumerated().map { ($0.element, Int32($0.offset)) },
      uniquingKeysWith: { first, _ in first })
  }

  deinit { PQclear(handle) }

  /// Rows affected by INSERT/UPDATE/DELETE/COPY (`PQcmdTuples`), 0 for other statements.
  public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

  public var rows: [Row] { (0..<rowCount).map { Row(result: self, index: $0) } }

  public subscript(index: Int) -> Row {
    precondition(index >= 0 && index < rowCount, "row \(index) out of 0..<\(rowCount)")
    return Row(result: self, index: index)
  }

  func text(row: Int, column: String) throws(PostgresError) -> String? {
    guard let field = columnIndex[column] else {
      throw PostgresError(
        kind: .type, message: "no column '\(column)' in \(columnNames)", purpose: purpose)
    }
    if PQgetisnull(handle, Int32(row), field) == 1 { return nil }
    return String(cString: PQgetvalue(handle, Int32(row), field))
  }
}

/// One row of a `QueryResult`, read by column name with the type the caller expects.
public struct Row {
  let result: QueryResult
  public let index: Int

  public func optionalString(_ column: String) throws(PostgresError) -> String? {
    try result.text(row: index, column: column)
  }

  public func string(_ column: String) throws(PostgresError) -> String {
    guard let value = try optionalString(column) else { throw nullError(column) }
    return value
  }

  public func optionalInt64(_ column: String) throws(PostgresError) -> Int64? {
    guard let text = try optionalString(column) else { return nil }
    guard let value = Int64(text) else { throw typeError(column, text, "bigint") }
    return value
  }

  public func int64(_ column: String) throws(PostgresError) -> Int64 {
    guard let value = try optionalInt64(column) else { throw nullError(column) }
    return value
  }

  public func int(_ column: String) throws(PostgresError) -> Int {
    let value = try int64(column)
    guard let narrowed = Int(exactly: value) else { throw typeError(column, "\(value)", "Int") }
    return narrowed
  }

  public func bool(_ column: String) throws(PostgresError) -> Bool {
    let text = try string(column)
    switch text {
    case "t": return true
    case "f": return false
    default: throw typeError(column, text, "boolean")
    }
  }

  private func nullError(_ column: String) -> PostgresError {
    PostgresError(kind: .type, message: "column '\(column)' is NULL", purpose: result.purpose)
  }

  private func typeError(_ column: String, _ text: String, _ type: String) -> PostgresError {
    PostgresError(
      kind: .type, message: "column '\(column)' value '\(text)' is not a \(type)",
      purpose: result.purpose)
  }
}
