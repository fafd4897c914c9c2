import Foundation
import PostgresClient

/// The state one import shares with its format's `apply`.
struct ImportSession {
  let connection: Connection
  /// Data rows staged.
  let rowCount: Int
}

/// `rebate import KIND FILE`: streams the file, checking every cell in Swift, in ONE
/// transaction. Any problem aborts the whole import with every problem listed and the database
/// exactly as it was.
///
/// Invoices (the big file) have their own two-pass import (`InvoiceImport`). The other files
/// are small: their typed rows are COPYed into a TEMP table and checked set-wise in SQL against
/// the database before they are written.
public enum CSVImport {
  public static func run(
    _ kind: ImportKind, path: String, replace: Bool, connection: Connection
  ) throws -> ImportReport {
    let fileName = (path as NSString).lastPathComponent
    return try run(
      kind, fileName: fileName, source: .file(path: path), replace: replace,
      connection: connection)
  }

  public static func run(
    _ kind: ImportKind, fileName: String, bytes: Data, replace: Bool, connection: Connection
  ) throws -> ImportReport {
    try run(
      kind, fileName: fileName, source: .bytes(bytes), replace: replace, connection: connection)
  }

  public static func run(
    _ kind: ImportKind, fileName: String, source: ImportSource, replace: Bool,
    connection: Connection
  ) throws -> ImportReport {
    var reader = CSVRecordReader(stream: try source.open(), expectedFields: kind.fields.count)
    let headerIndex = try checkHeader(&reader, kind: kind, file: fileName)
    reader.expectFields(kind.headers[headerIndex].count)
    var log = ProblemLog(file: fileName)
    // Temp tables live in temp buffers; the default 8 MB spills large files to disk. It can only
    // be raised before the session's first temp table, so a failure here is fine.
    _ = try? connection.execute("SET temp_buffers = '256MB'", purpose: "size temp buffers")
    return try connection.transaction(purpose: "import \(fileName)") { connection in
      guard kind.stagedFormats.indices.contains(headerIndex) else {
        return try InvoiceImport.run(
          source: source, reader: &reader, log: &log, replace: replace, connection: connection)
      }
      return try importStaged(
        kind, format: kind.stagedFormats[headerIndex], reader: &reader, log: &log,
        replace: replace, connection: connection)
    }
  }

  /// The index in `kind.headers` of the file's header.
  private static func checkHeader(_ reader: inout CSVRecordReader, kind: ImportKind, file: String)
    throws -> Int
  {
    let header = try reader.header()
    func refuse(_ problem: ImportProblem) -> ImportFailure {
      ImportFailure(file: file, problems: [problem], totalProblems: 1)
    }
    if let problem = header.problem { throw refuse(problem) }
    guard !header.fields.isEmpty else {
      throw refuse(headerProblem("", "the file is empty; expected a header row"))
    }
    guard let index = kind.headers.firstIndex(of: header.fields) else {
      let accepted = kind.headers.map { $0.joined(separator: ",") }.joined(separator: " or ")
      throw refuse(
        headerProblem(
          header.fields.joined(separator: ","),
          "the header must be exactly \(accepted) (in this order)"))
    }
    return index
  }

  private static func headerProblem(_ value: String, _ reason: String) -> ImportProblem {
    ImportProblem(
      line: 1, column: "(header)", value: value, reason: reason, code: "E-IMPORT-HEADER")
  }

  /// Problems found by set-wise SQL (`ProblemLog.addStored` reads them).
  static let createProblems = """
    CREATE TEMP TABLE import_problems (line_no integer NOT NULL, col_order integer NOT NULL,
      col text NOT NULL, val text, code text NOT NULL, reason text NOT NULL) ON COMMIT DROP
    """

  private static func importStaged(
    _ kind: ImportKind, format: ImportFormat, reader: inout CSVRecordReader,
    log: inout ProblemLog, replace: Bool, connection: Connection
  ) throws -> ImportReport {
    let columns = format.fields.map { "\($0.name) \($0.sqlType)" }.joined(separator: ", ")
    try connection.execute(
      "CREATE TEMP TABLE import_rows (line_no integer NOT NULL, \(columns)) ON COMMIT DROP",
      purpose: "create staging table")
    try connection.execute(createProblems, purpose: "create problem table")
    var rowCount = 0
    try connection.copyIn("COPY import_rows FROM STDIN", purpose: "copy \(log.file) to staging") {
      writer in
      var copy = CopyBuffer()
      while let record = try reader.next() {
        if let line = log.dataLine(record) {
          rowCount += 1
          stage(line: line, reader: reader, fields: format.fields, to: &copy, log: &log)
          try copy.flush(to: writer)
        }
      }
      try copy.flush(to: writer, force: true)
    }
    try connection.execute("ANALYZE import_rows", purpose: "analyse staged rows")
    for check in format.setChecks(replace) {
      try connection.execute(check, purpose: "check \(log.file) against the database")
    }
    try log.addStored(connection)
    try log.throwIfAny()
    let counts = try format.apply(ImportSession(connection: connection, rowCount: rowCount))
    precondition(counts.new + counts.changed <= counts.records, "more written than read")
    return ImportReport(
      kind: kind, file: log.file, lines: rowCount, records: counts.records,
      new: counts.new, changed: counts.changed,
      unchanged: counts.records - counts.new - counts.changed)
  }

  /// One typed staging row; a bad cell is logged and staged as NULL, so the set-wise checks
  /// still see every row.
  private static func stage(
    line: Int, reader: CSVRecordReader, fields: [ImportField], to copy: inout CopyBuffer,
    log: inout ProblemLog
  ) {
    copy.append(Int64(line))
    for (index, field) in fields.enumerated() {
      copy.separator()
      switch reader.withBytes(of: index, field.check) {
      case .value(let value): copy.append(value)
      case .empty: copy.appendNull()
      case .problem(let code, let reason):
        copy.appendNull()
        log.add(
          line: line, field: field, position: index + 1, value: reader.text(of: index),
          code: code, reason: reason)
      }
    }
    copy.endRow()
  }
}

/// The file itself cannot be imported (before any line is looked at), or it changed while it
/// was read.
public enum ImportFileError: Error, Sendable, CustomStringConvertible {
  case unreadable(String)
  case tooLarge(String, bytes: Int)
  case changed(String)

  public var code: String {
    switch self {
    case .unreadable, .changed: return "E-IMPORT-FILE"
    case .tooLarge: return "E-IMPORT-TOO-LARGE"
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let path): return "\(code): \(path): cannot read the file"
    case .tooLarge(let path, let bytes):
      return
        "\(code): \(path): \(bytes) bytes is more than the limit of \(ImportSource.maxFileBytes)"
    case .changed(let path):
      return "\(code): \(path): the file changed while it was imported; nothing was imported"
    }
  }
}
