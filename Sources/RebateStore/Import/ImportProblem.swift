/// One thing wrong with an imported file, at a line and a column.
public struct ImportProblem: Sendable, Equatable {
  public let line: Int
  public let column: String
  public let value: String
  public let reason: String
  /// `E-IMPORT-...`, see docs/errors.md.
  public let code: String

  public init(line: Int, column: String, value: String, reason: String, code: String) {
    self.line = line
    self.column = column
    self.value = value
    self.reason = reason
    self.code = code
  }

  /// `invoices.csv:14: column qty: value '-3': must be positive (E-IMPORT-NUMBER)`
  public func formatted(file: String) -> String {
    "\(file):\(line): column \(column): value '\(value)': \(reason) (\(code))"
  }
}

/// A refused import: every problem found (up to `listLimit`) and how many there were in all.
/// Nothing was written.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
  /// How many problems a failure lists; the rest are counted ("and 412 more").
  public static let listLimit = 100

  public let file: String
  public let problems: [ImportProblem]
  public let totalProblems: Int

  public init(file: String, problems: [ImportProblem], totalProblems: Int) {
    precondition(problems.count <= ImportFailure.listLimit && problems.count <= totalProblems)
    self.file = file
    self.problems = problems
    self.totalProblems = totalProblems
  }

  public var lines: [String] {
    var lines = problems.map { $0.formatted(file: file) }
    if totalProblems > problems.count { lines.append("and \(totalProblems - problems.count) more") }
    lines.append(
      "\(file): \(totalProblems) problem\(totalProblems == 1 ? "" : "s"); nothing was imported")
    return lines
  }

  public var description: String { lines.joined(separator: "\n") }
}

/// What an import did. `records` are documents for invoices (lines counted separately), rows
/// otherwise.
public struct ImportReport: Sendable, Equatable {
  public let kind: ImportKind
  public let file: String
  public let lines: Int
  public let records: Int
  public let new: Int
  /// Master data: rows whose attributes changed. Documents: rows replaced with `--replace`.
  public let changed: Int
  public let unchanged: Int

  public var summary: String {
    let changedWord = kind.updatesInPlace ? "changed" : "replaced"
    let what = kind == .invoices ? "\(records) documents (\(lines) lines)" : "\(records) rows"
    return "\(file): \(kind.rawValue): \(what): \(new) new, \(changed) \(changedWord), "
      + "\(unchanged) unchanged"
  }
}
