import RebateCore

/// One CSV row of an invoices file, typed. A value that is empty or broke its column's rule is
/// nil (the rule's problem is already logged), so later checks skip it and report each bad cell
/// once.
struct InvoiceRow {
  let fileLine: Int
  var document: String?
  var kind: String?
  var dealer: String?
  var date: Day?
  var dueDate: Day?
  var vatPercent: ExactDecimal?
  var line: Int64?
  var sku: String?
  var qty: Int64?
  var listPriceMinor: Int64?
  var netUnitPriceMinor: Int64?
  var refersTo: String?
  /// `qty × net_unit_price`, nil when a factor is missing or the product overflows.
  var netAmountMinor: Int64?
  /// The raw due date was not empty (even if it was not a date).
  var dueDateGiven = false
  var hadProblems = false

  var isInvoice: Bool { kind == "invoice" }
  var isCreditNote: Bool { kind == "credit_note" }

  /// Reads the reader's current record; cell problems go to `log`.
  init(line fileLine: Int, reader: CSVRecordReader, log: inout ProblemLog) {
    self.fileLine = fileLine
    var problems = false
    func cell(_ index: Int) -> ImportField.Value? {
      let field = InvoiceImport.fields[index]
      switch reader.withBytes(of: index, field.check) {
      case .value(let value): return value
      case .empty: return nil
      case .problem(let code, let reason):
        problems = true
        log.add(
          line: fileLine, field: field, position: index + 1, value: reader.text(of: index),
          code: code, reason: reason)
        return nil
      }
    }
    document = cell(0)?.text
    kind = cell(1)?.text
    dealer = cell(2)?.text
    date = cell(3)?.day
    dueDate = cell(4)?.day
    vatPercent = cell(5)?.decimal
    line = cell(6)?.integer
    sku = cell(7)?.text
    qty = cell(8)?.integer
    listPriceMinor = cell(9)?.integer
    netUnitPriceMinor = cell(10)?.integer
    refersTo = cell(11)?.text
    hadProblems = problems
    dueDateGiven = !reader.isEmpty(4)
    if let qty, let netUnitPriceMinor {
      let (amount, overflow) = qty.multipliedReportingOverflow(by: netUnitPriceMinor)
      netAmountMinor = overflow ? nil : amount
    }
  }

  /// Rules between the columns of one row and against the known dealers and products.
  mutating func checkRules(dealers: Set<String>, skus: Set<String>, log: inout ProblemLog) {
    if let dealer, !dealers.contains(dealer) {
      report(
        "dealer", dealer, "E-IMPORT-UNKNOWN-DEALER", "no such dealer; import dealers first", &log)
    }
    if let sku, !skus.contains(sku) {
      report("sku", sku, "E-IMPORT-UNKNOWN-SKU", "no such product; import products first", &log)
    }
    if isInvoice && !dueDateGiven {
      report("due_date", "", "E-IMPORT-REQUIRED", "is required for an invoice", &log)
    }
    if isCreditNote && dueDateGiven {
      report(
        "due_date", dueDate?.description ?? "", "E-IMPORT-VALUE", "must be empty for a credit note",
        &log)
    }
    if let dueDate, let date, dueDate < date {
      report(
        "due_date", dueDate.description, "E-IMPORT-DATE", "is before the document date \(date)",
        &log)
    }
    if isInvoice, let refersTo {
      report(
        "refers_to", refersTo, "E-IMPORT-VALUE", "only a credit note refers to an invoice", &log)
    }
    if let qty, netUnitPriceMinor != nil, netAmountMinor == nil {
      report(
        "qty", String(qty), "E-IMPORT-TOTAL", "qty × net_unit_price does not fit a money amount",
        &log)
    }
  }

  /// One of the document fields (same on every line of a document), in the order of
  /// `InvoiceImport.headerColumns`.
  func headerValue(_ index: Int) -> ImportField.Value? {
    switch index {
    case 0: return kind.map(ImportField.Value.text)
    case 1: return dealer.map(ImportField.Value.text)
    case 2: return date.map(ImportField.Value.day)
    case 3: return dueDate.map(ImportField.Value.day)
    case 4: return vatPercent.map(ImportField.Value.decimal)
    default: return refersTo.map(ImportField.Value.text)
    }
  }

  /// Logs a problem of this row (or, `at`, of another line of its document).
  mutating func report(
    _ column: String, _ value: String, _ code: String, _ reason: String, _ log: inout ProblemLog,
    at line: Int? = nil
  ) {
    hadProblems = true
    let fields = InvoiceImport.fields
    let position = ImportField.position(of: column, in: fields)
    log.add(
      line: line ?? fileLine, field: fields[position - 1], position: position, value: value,
      code: code, reason: reason)
  }
}

extension ImportField.Value {
  var text: String? {
    if case .text(let text) = self { return text }
    return nil
  }
  var day: Day? {
    if case .day(let day) = self { return day }
    return nil
  }
  var integer: Int64? {
    if case .integer(let number) = self { return number }
    return nil
  }
  var decimal: ExactDecimal? {
    if case .decimal(let decimal) = self { return decimal }
    return nil
  }
}
