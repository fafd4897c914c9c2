import CLibPQ

#if canImport(Glibc)
  import Glibc
#endif

/// One libpq connection. Every value reaches the server as a parameter (`$1`, `$2`, text
/// format); SQL text never has values spliced into it.
///
/// Ownership: a connection is NOT Sendable. libpq connections must not be used from two threads
/// at once, so exactly one owner (a command, a test, a worker checked out of `ConnectionPool`)
/// uses it at a time and closes it when done.
public final class Connection {
  private var handle: OpaquePointer?
  private let notices: NoticeLog
  private var transactionDepth = 0

  /// Connects with a URL (`postgresql:///db?host=/sock&user=postgres`) or a `key=value` conninfo.
  /// `overriding` replaces single settings of it, e.g. `["dbname": "other"]`.
  public init(_ conninfo: String, overriding: [String: String] = [:]) throws(PostgresError) {
    let settings =
      [("dbname", conninfo), ("client_encoding", "UTF8"), ("application_name", "rebate")]
      + overriding.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    let connection = withCStrings(settings.map(\.0)) { keys in
      withCStrings(settings.map(\.1)) { values in PQconnectdbParams(keys, values, 1) }
    }
    guard let connection else {
      throw PostgresError(kind: .connect, message: "out of memory", purpose: "connect")
    }
    guard PQstatus(connection) == CONNECTION_OK else {
      let message = Connection.trimmed(PQerrorMessage(connection))
      PQfinish(connection)
      throw PostgresError(kind: .connect, message: message, purpose: "connect")
    }
    handle = connection
    notices = NoticeLog()
    PQsetNoticeProcessor(connection, collectNotice, Unmanaged.passUnretained(notices).toOpaque())
  }

  deinit { close() }

  public func close() {
    if let handle { PQfinish(handle) }
    handle = nil
  }

  /// Server notices and warnings received so far (newest last, at most `NoticeLog.limit`).
  public var receivedNotices: [String] { notices.messages }

  /// Runs one statement with parameters and returns its rows.
  @discardableResult
  public func query(_ sql: String, _ parameters: [String?] = [], purpose: String)
    throws(PostgresError) -> QueryResult
  {
    if let index = parameters.firstIndex(where: { $0?.utf8.contains(0) ?? false }) {
      throw PostgresError(
        kind: .nul,
        message: "parameter $\(index + 1) holds a NUL byte, which PostgreSQL text "
          + "cannot hold (it would be stored cut at the NUL); nothing was sent", purpose: purpose)
    }
    let connection = try open(purpose)
    let result = withCStrings(parameters) { values in
      PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
    }
    return try check(result, expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK], purpose: purpose)
  }

  /// Runs one statement and returns the number of rows it affected.
  @discardableResult
  public func execute(_ sql: String, _ parameters: [String?] = [], purpose: String)
    throws(PostgresError) -> Int
  {
    try query(sql, parameters, purpose: purpose).affectedRows
  }

  /// Runs a trusted multi-statement script from our own files (migrations). It takes no
  /// parameters, so nothing from outside may ever be passed here.
  public func executeScript(_ sql: String, purpose: String) throws(PostgresError) {
    let connection = try open(purpose)
    _ = try check(
      PQexec(connection, sql), expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY],
      purpose: purpose)
  }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  /// Nested calls use savepoints, so an inner failure undoes only the inner work.
  public func transaction<T>(purpose: String, _ body: (Connection) throws -> T) throws -> T {
    let depth = transactionDepth
    let savepoint = "rebate_savepoint_\(depth)"
    try execute(depth == 0 ? "BEGIN" : "SAVEPOINT \(savepoint)", purpose: "begin \(purpose)")
    transactionDepth += 1
    defer { transactionDepth = depth }
    do {
      let value = try body(self)
      try execute(
        depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)", purpose: "commit \(purpose)")
      return value
    } catch {
      // The original failure is what the caller needs; a failing rollback means the
      // connection is gone, and the server discards the transaction with it.
      _ = try? execute(
        depth == 0 ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT \(savepoint)",
        purpose: "roll back \(purpose)")
      throw error
    }
  }

  /// `COPY ... FROM STDIN`: `produce` writes the data through the writer; returns rows copied.
  /// If `produce` throws, the COPY is aborted and the error rethrown.
  @discardableResult
  public func copyIn(_ sql: String, purpose: String, _ produce: (CopyWriter) throws -> Void)
    throws -> Int
  {
    let connection = try open(purpose)
    _ = try check(PQexec(connection, sql), expecting: [PGRES_COPY_IN], purpose: purpose)
    let writer = CopyWriter(connection: connection, purpose: purpose)
    do {
      try produce(writer)
    } catch {
      _ = PQputCopyEnd(connection, "aborted by client")
      drainResults(connection)
      throw error
    }
    guard PQputCopyEnd(connection, nil) == 1 else {
      let message = Connection.trimmed(PQerrorMessage(connection))
      drainResults(connection)
      throw PostgresError(kind: .copy, message: message, purpose: purpose)
    }
    return try finishCopy(connection, purpose: purpose)
  }

  /// `COPY ... TO STDOUT`: `consume` receives each row's bytes; returns rows copied.
  @discardableResult
  public func copyOut(
    _ sql: String, purpose: String, _ consume: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> Int {
    let connection = try open(purpose)
    _ = try check(PQexec(connection, sql), expecting: [PGRES_COPY_OUT], purpose: purpose)
    var consumerError: (any Error)?
    while true {
      var buffer: UnsafeMutablePointer<CChar>?
      let length = PQgetCopyData(connection, &buffer, 0)
      if length == -1 { break }
      guard length >= 0, let buffer else {
        let message = Connection.trimmed(PQerrorMessage(connection))
        drainResults(connection)
        throw PostgresError(kind: .copy, message: message, purpose: purpose)
      }
      // Keep reading after a consumer failure: the stream must be drained before the
      // connection can run anything else.
      if consumerError == nil {
        do {
          try consume(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
        } catch { consumerError = error }
      }
      PQfreemem(buffer)
    }
    let rows = try finishCopy(connection, purpose: purpose)
    if let consumerError { throw consumerError }
    return rows
  }

  private func finishCopy(_ connection: OpaquePointer, purpose: String) throws(PostgresError)
    -> Int
  {
    let result = try check(
      PQgetResult(connection), expecting: [PGRES_COMMAND_OK], purpose: purpose, kind: .copy)
    drainResults(connection)
    return result.affectedRows
  }

  private func drainResults(_ connection: OpaquePointer) {
    while let extra = PQgetResult(connection) { PQclear(extra) }
  }

  private func open(_ purpose: String) throws(PostgresError) -> OpaquePointer {
    guard let handle else {
      throw PostgresError(kind: .query, message: "connection is closed", purpose: purpose)
    }
    return handle
  }

  private func check(
    _ result: OpaquePointer?, expecting: [ExecStatusType], purpose: String,
    kind: PostgresError.Kind = .query
  ) throws(PostgresError) -> QueryResult {
    guard let result else {
      throw PostgresError(
        kind: kind, message: Connection.trimmed(PQerrorMessage(handle)), purpose: purpose)
    }
    guard expecting.contains(PQresultStatus(result)) else {
      let error = PostgresError(
        kind: kind,
        sqlState: field(result, "C"),
        message: field(result, "M") ?? Connection.trimmed(PQresultErrorMessage(result)),
        detail: field(result, "D"),
        hint: field(result, "H"),
        purpose: purpose)
      PQclear(result)
      throw error
    }
    return QueryResult(handle: result, purpose: purpose)
  }

  private func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
    guard let text = PQresultErrorField(result, Int32(code.value)) else { return nil }
    return String(cString: text)
  }

  static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
    guard let text else { return "unknown libpq error" }
    let message = String(cString: text)
    return String(message.reversed().drop { $0.isWhitespace }.reversed())
  }
}

/// Sends COPY data. Lengths are UTF-8 byte counts, never character counts, so non-ASCII text
/// (Cyrillic names) arrives whole.
public struct CopyWriter {
  fileprivate let connection: OpaquePointer
  fileprivate let purpose: String

  public func send(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    precondition(bytes.count <= Int(Int32.max), "COPY chunks are at most 2 GiB")
    let status = PQputCopyData(
      connection, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
    guard status == 1 else {
      throw PostgresError(
        kind: .copy, message: Connection.trimmed(PQerrorMessage(connection)), purpose: purpose)
    }
  }

  public func send(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try send($0) }
  }

  public func send(_ text: String) throws {
    try send(Array(text.utf8))
  }
}

/// Collects server notices instead of letting libpq print them to stderr.
final class NoticeLog {
  static let limit = 100
  private(set) var messages: [String] = []

  func append(_ message: String) {
    if messages.count == NoticeLog.limit { messages.removeFirst() }
    messages.append(message)
  }
}

private func collectNotice(_ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
  guard let context else { return }
  Unmanaged<NoticeLog>.fromOpaque(context).takeUnretainedValue().append(
    Connection.trimmed(message))
}

/// Calls `body` with a C array of C strings (NULL entries for nil) valid only during the call.
private func withCStrings<T>(
  _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T
)
  -> T
{
  let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
  defer { copies.forEach { free($0) } }
  let pointers = copies.map { UnsafePointer($0) } + [nil]
  return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
