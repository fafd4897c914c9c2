import Foundation
import PostgresClient

/// The state one import shares with its format's `apply`.
struct ImportSession {
  let connection: Connection
  /// Data rows staged (records of the file that were well-formed CSV).
  let rowCount: Int
}

/// `rebate import KIND FILE`: COPY the file into a TEMP staging table of text columns plus the
/// line number, check it set-wise in SQL, then write it — all in ONE transaction. Any problem
/// aborts the whole import with every problem listed and the database exactly as it was.
public enum CSVImport {
  /// Files larger than this are refused before reading (a month of a big manufacturer's
  /// invoices is far below it).
  public static let maxFileBytes = 2 << 30

  public static func run(
    _ kind: ImportKind, path: String, replace: Bool, connection: Connection
  ) throws -> ImportReport {
    let fileName = (path as NSString).lastPathComponent
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    guard let size = attributes?[.size] as? Int,
      let data = FileManager.default.contents(atPath: path)
    else { throw ImportFileError.unreadable(path) }
    guard size <= maxFileBytes else { throw ImportFileError.tooLarge(path, bytes: size) }
    return try run(kind, fileName: fileName, bytes: data, replace: replace, connection: connection)
  }

  public static func run(
    _ kind: ImportKind, fileName: String, bytes: Data, replace: Bool, connection: Connection
  ) throws -> ImportReport {
    let format = kind.format
    let stream = CSVStream(fileName: fileName, columns: format.columns)
    return try bytes.withUnsafeBytes { raw in
      let buffer = raw.bindMemory(to: UInt8.self)
      let early = stream.precheck(buffer)
      guard early.isEmpty else {
        throw ImportFailure(file: fileName, problems: early, totalProblems: early.count)
      }
      // Staging tables live in temp buffers; the default 8 MB spills large files to disk. It
      // can only be raised before the session's first temp table, so a failure here is fine.
      _ = try? connection.execute("SET temp_buffers = '256MB'", purpose: "size temp buffers")
      return try connection.transaction(purpose: "import \(fileName)") { connection in
        try importStaged(
          kind, format: format, stream: stream, buffer: buffer, replace: replace,
          connection: connection)
      }
    }
  }

  private static func importStaged(
    _ kind: ImportKind, format: ImportFormat, stream: CSVStream,
    buffer: UnsafeBufferPointer<UInt8>, replace: Bool, connection: Connection
  ) throws -> ImportReport {
    let columns = format.columns.map { "\($0) text" }.joined(separator: ", ")
    try connection.execute(
      "CREATE TEMP TABLE import_stage (line_no integer NOT NULL, \(columns)) ON COMMIT DROP",
      purpose: "create staging table")
    try connection.execute(
      """
      CREATE TEMP TABLE import_problems (line_no integer NOT NULL, col_order integer NOT NULL,
        col text NOT NULL, val text, code text NOT NULL, reason text NOT NULL) ON COMMIT DROP
      """, purpose: "create problem table")
    var malformed: (problems: [ImportProblem], count: Int) = ([], 0)
    try connection.copyIn(
      "COPY import_stage FROM STDIN (FORMAT csv)", purpose: "copy \(stream.fileName) to staging"
    ) { writer in
      let sent = try stream.send(buffer, to: writer)
      malformed = (sent.problems, sent.problemCount)
    }
    let cellProblems = try connection.execute(
      localChecks(format), purpose: "check values of \(stream.fileName)")
    let typed = format.fields.map { $0.typedSQL(allValid: cellProblems == 0) }
      .joined(separator: ",\n  ")
    let rowCount = try connection.execute(
      "CREATE TEMP TABLE import_rows ON COMMIT DROP AS SELECT s.line_no,\n  \(typed)\n"
        + "FROM import_stage s", purpose: "type staged rows")
    try connection.execute("ANALYZE import_rows", purpose: "analyse staged rows")
    for check in format.setChecks(replace) {
      try connection.execute(check, purpose: "check \(stream.fileName) against the database")
    }
    try failIfProblems(file: stream.fileName, malformed: malformed, connection: connection)
    let counts = try format.apply(ImportSession(connection: connection, rowCount: rowCount))
    precondition(counts.new + counts.changed <= counts.records, "more written than read")
    return ImportReport(
      kind: kind, file: stream.fileName, lines: rowCount, records: counts.records,
      new: counts.new, changed: counts.changed,
      unchanged: counts.records - counts.new - counts.changed)
  }

  /// One pass over the staging table: every column's required/type/value rule. Clean rows are
  /// filtered out by one short-circuit test before any problem row is built for them.
  static func localChecks(_ format: ImportFormat) -> String {
    let clean = format.fields.map { "(\($0.checkSQL)) IS NULL" }.joined(separator: "\n        AND ")
    let rows = format.fields.enumerated().map { index, field in
      "(\(index + 1), '\(field.name)', s.\(field.name), \(field.checkSQL))"
    }.joined(separator: ",\n    ")
    return """
      INSERT INTO import_problems (line_no, col_order, col, val, code, reason)
      SELECT s.line_no, c.position, c.col, coalesce(c.val, ''), split_part(c.problem, '|', 1),
        split_part(c.problem, '|', 2)
      FROM import_stage s CROSS JOIN LATERAL (VALUES
          \(rows)) AS c (position, col, val, problem)
      WHERE NOT (\(clean)) AND c.problem IS NOT NULL
      """
  }

  private static func failIfProblems(
    file: String, malformed: (problems: [ImportProblem], count: Int), connection: Connection
  ) throws {
    let total = try connection.query(
      "SELECT count(*) AS problems FROM import_problems", purpose: "count problems")[0]
    let found = try total.int("problems")
    guard found + malformed.count > 0 else { return }
    let listed = try connection.query(
      """
      SELECT line_no, col, coalesce(val, '') AS val, code, reason FROM import_problems
      ORDER BY line_no, col_order, code LIMIT $1
      """, [String(ImportFailure.listLimit)], purpose: "list problems")
    var problems = malformed.problems
    for row in listed.rows {
      problems.append(
        ImportProblem(
          line: try row.int("line_no"), column: try row.string("col"), value: try row.string("val"),
          reason: try row.string("reason"), code: try row.string("code")))
    }
    // By line, keeping column order within a line (malformed records never share a line with
    // the database's findings: they were not staged).
    let ordered = problems.enumerated().sorted {
      ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
    }
    throw ImportFailure(
      file: file, problems: ordered.prefix(ImportFailure.listLimit).map(\.element),
      totalProblems: found + malformed.count)
  }
}

/// The file itself cannot be imported (before any line is looked at).
public enum ImportFileError: Error, Sendable, CustomStringConvertible {
  case unreadable(String)
  case tooLarge(String, bytes: Int)

  public var code: String {
    switch self {
    case .unreadable: return "E-IMPORT-FILE"
    case .tooLarge: return "E-IMPORT-TOO-LARGE"
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let path): return "\(code): \(path): cannot read the file"
    case .tooLarge(let path, let bytes):
      return "\(code): \(path): \(bytes) bytes is more than the limit of \(CSVImport.maxFileBytes)"
    }
  }
}
