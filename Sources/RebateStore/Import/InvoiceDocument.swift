import RebateCore

/// One document of an invoices file while its lines stream past (a document's lines are
/// consecutive in the file): the checks between its lines and its content hash. Only this
/// document's lines are held, never the file's.
struct InvoiceDocument {
  /// Lines one document may have; a limit on what is held in memory.
  static let maxLines = 100_000

  private struct Line {
    let fileLine: Int
    let line: Int64
    let sku: String?
    let qty: Int64?
    let listPriceMinor: Int64?
    let netUnitPriceMinor: Int64?
    let netAmountMinor: Int64?
  }

  let number: String
  let header: InvoiceRow
  private var lines: [Line] = []
  private(set) var lineCount = 0
  /// No problem on any line: only then is the content hash meaningful.
  private(set) var clean: Bool

  init(number: String, first: InvoiceRow, log: inout ProblemLog) {
    self.number = number
    header = first
    clean = true
    add(first, log: &log)
  }

  var firstLine: Int { header.fileLine }

  mutating func add(_ row: InvoiceRow, log: inout ProblemLog) {
    var row = row
    lineCount += 1
    if row.fileLine != header.fileLine { checkConsistency(&row, log: &log) }
    if row.hadProblems { clean = false }
    guard lineCount <= InvoiceDocument.maxLines else {
      if lineCount == InvoiceDocument.maxLines + 1 {
        row.report(
          "document", number, "E-IMPORT-VALUE",
          "a document has more than \(InvoiceDocument.maxLines) lines", &log)
        clean = false
      }
      return
    }
    guard let line = row.line else { return }
    lines.append(
      Line(
        fileLine: row.fileLine, line: line, sku: row.sku, qty: row.qty,
        listPriceMinor: row.listPriceMinor, netUnitPriceMinor: row.netUnitPriceMinor,
        netAmountMinor: row.netAmountMinor))
  }

  /// Checks that need all lines; returns the content hash when the document is clean.
  mutating func finish(log: inout ProblemLog) -> String? {
    lines.sort { ($0.line, $0.fileLine) < ($1.line, $1.fileLine) }
    reportDuplicateLines(&log)
    reportTotalOverflow(&log)
    return clean ? contentHash() : nil
  }

  private mutating func checkConsistency(_ row: inout InvoiceRow, log: inout ProblemLog) {
    for index in InvoiceImport.headerColumns.indices {
      guard let value = row.headerValue(index), let first = header.headerValue(index),
        value != first
      else { continue }
      row.report(
        InvoiceImport.headerColumns[index], value.plainText, "E-IMPORT-INCONSISTENT",
        "differs from line \(header.fileLine) of document \(number) (\(first.plainText))", &log)
    }
  }

  private mutating func reportDuplicateLines(_ log: inout ProblemLog) {
    var index = 1
    var firstOfGroup = 0
    while index < lines.count {
      if lines[index].line == lines[firstOfGroup].line {
        var row = header
        row.report(
          "line", String(lines[index].line), "E-IMPORT-DUPLICATE",
          "duplicate document, line: first on line \(lines[firstOfGroup].fileLine)", &log,
          at: lines[index].fileLine)
        clean = false
      } else {
        firstOfGroup = index
      }
      index += 1
    }
  }

  private mutating func reportTotalOverflow(_ log: inout ProblemLog) {
    var total: Int64 = 0
    for line in lines {
      guard let amount = line.netAmountMinor else { continue }
      let (sum, overflow) = total.addingReportingOverflow(amount)
      guard !overflow else {
        var row = header
        row.report(
          "document", number, "E-IMPORT-TOTAL", "the document total does not fit a money amount",
          &log)
        clean = false
        return
      }
      total = sum
    }
  }

  /// SHA-256 of the header and the lines in line order: equal hash = the same document.
  private func contentHash() -> String {
    var text: [UInt8] = []
    text.reserveCapacity(64 + 48 * lines.count)
    for index in InvoiceImport.headerColumns.indices {
      if index > 0 { text.append(UInt8(ascii: "|")) }
      text.append(contentsOf: (header.headerValue(index)?.plainText ?? "").utf8)
    }
    for line in lines {
      text.append(UInt8(ascii: "\n"))
      text.append(contentsOf: (line.sku ?? "").utf8)
      for number in [line.line, line.qty, line.listPriceMinor, line.netUnitPriceMinor] {
        text.append(UInt8(ascii: "|"))
        if let number { text.append(contentsOf: String(number).utf8) }
      }
    }
    return SHA256.hex(text)
  }
}
