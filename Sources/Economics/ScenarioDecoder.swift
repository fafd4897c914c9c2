import Close
import Mechanics
import Policy
import PolicyFormat
import Pricing
import RebateCore
import SellOut

/// Reads a scenario file. The policy's tables go to `PolicyDecoder` unchanged, so a scenario's
/// policy is exactly what a policy file would be; the file is split by table headers and the
/// other part's lines are blanked, which keeps every problem's line number true.
public enum ScenarioDecoder {
  public static func decode(_ text: String, file: String) -> Result<Scenario, ScenarioProblems> {
    let (policyText, dataText) = split(text)
    var policy: CommercialPolicy?
    var problems: [PolicyProblem] = []
    switch PolicyDecoder.decode(policyText, file: file) {
    case .success(let decoded): policy = decoded
    case .failure(let found): problems = found.problems
    }
    let log = ProblemLog(file: file)
    let root = TableReader(DocumentParser.parse(dataText, log: log), path: "", log: log)
    let scenario = ScenarioTables(root: root).read(policy: policy)
    root.finish()
    problems = (problems + log.sorted).sorted()
    guard problems.isEmpty, let scenario else {
      return .failure(ScenarioProblems(problems: problems))
    }
    return .success(scenario)
  }

  /// (policy part, scenario part), each as long as the file, the other part's lines blank.
  static func split(_ text: String) -> (policy: String, scenario: String) {
    var policy: [Substring] = []
    var data: [Substring] = []
    var inScenario = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let root = headerRoot(line) { inScenario = scenarioTables.contains(root) }
      policy.append(inScenario ? "" : line)
      data.append(inScenario ? line : "")
    }
    return (policy.joined(separator: "\n"), data.joined(separator: "\n"))
  }

  /// `invoice` for `[[invoice.line]]`; nil when the line is not a table header.
  static func headerRoot(_ line: Substring) -> String? {
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    guard trimmed.first == "[" else { return nil }
    let name = trimmed.drop { $0 == "[" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    let rest = trimmed.drop { $0 == "[" }.dropFirst(name.count)
    guard !name.isEmpty, rest.first == "]" || rest.first == "." else { return nil }
    return String(name)
  }
}

/// The reading of the scenario's own tables, each row checked against the dealers and products.
final class ScenarioTables {
  let root: TableReader
  private var recorded: [String: Day] = [:]

  init(root: TableReader) { self.root = root }

  /// `recorded`, optional on every document: the day it reached the books.
  private func noteRecorded(_ row: TableReader, _ number: String?) {
    if let day = row.day("recorded", required: false), let number { recorded[number] = day }
  }

  /// The scenario around `policy`; nil when the policy or a required table could not be read.
  func read(policy: CommercialPolicy?) -> Scenario? {
    let header = root.table("scenario")
    let name = header?.string("name")
    let period = header?.string("period").flatMap { text -> Period? in
      guard let parsed = try? Period.parse(text) else {
        header?.problem(.value, "period", "'\(text)' is not a period such as 2026-Q3")
        return nil
      }
      return parsed
    }
    let closedOn = header?.day("previous_closed_on", required: false)
    header?.finish()
    let dealers = rows("dealer").compactMap(dealer)
    let products = productTable(rows("product"))
    let invoices = rows("invoice").compactMap { invoice($0, products) }
    let notes = rows("credit_note", required: false).compactMap { creditNote($0, products) }
    let payments = rows("payment", required: false).compactMap(payment)
    let sellOut = readSellOut(rows("sellout", required: false))
    let changes = rows("price_change", required: false).compactMap(priceChange)
    let quotes = rows("quote", required: false).compactMap(quote)
    let allocations = rows("allocation", required: false).compactMap(allocation)
    let expectations = rows("expect").compactMap(expectation)
    guard let name, let period, let policy else { return nil }
    return Scenario(
      name: name, period: period, policy: policy, dealers: dealers, products: products,
      invoices: invoices, creditNotes: notes, payments: payments, sellOut: sellOut,
      priceChanges: changes, quotes: quotes, allocations: allocations, previousClosedOn: closedOn,
      recorded: recorded, expectations: expectations)
  }

  private func rows(_ key: String, required: Bool = false) -> [TableReader] {
    root.tables(key, required: required, maximumCount: ScenarioLimits.maxRows)
  }

  private func dealer(_ row: TableReader) -> ScenarioDealer? {
    let id = row.string("id")
    let tier = row.string("tier")
    let segment = row.string("segment")
    let region = row.string("region", required: false) ?? "-"
    let terms = row.string("payment_terms", required: false) ?? "net30"
    let grade = row.string("prior_grade", required: false)
    let priorSegment = row.string("prior_segment", required: false)
    row.finish()
    guard let id, let tier, let segment else { return nil }
    if let priorSegment, let problem = RFMSegment.problem([priorSegment]) {
      row.problem(.reference, "prior_segment", problem)
      return nil
    }
    return ScenarioDealer(
      id: id, tier: tier, segment: segment, region: region, paymentTerms: terms, priorGrade: grade,
      priorSegment: priorSegment)
  }

  /// Products by SKU; a SKU defined twice is a problem at its second row, never "the last wins".
  private func productTable(_ rows: [TableReader]) -> [String: ProductInfo] {
    var table: [String: ProductInfo] = [:]
    for row in rows {
      guard let info = product(row) else { continue }
      guard table[info.sku] == nil else {
        row.problem(.duplicate, "sku", "product \(Identifier.printable(info.sku)) is defined twice")
        continue
      }
      table[info.sku] = info
    }
    return table
  }

  private func product(_ row: TableReader) -> ProductInfo? {
    let sku = row.string("sku")
    let category = row.string("category", required: false) ?? "-"
    let brand = row.string("brand", required: false) ?? "-"
    let list = row.money("list_price")
    let cost = row.money("cost", required: false) ?? .zero
    row.finish()
    guard let sku, let list else { return nil }
    return ProductInfo(sku: sku, category: category, brand: brand, listPrice: list, cost: cost)
  }

  /// A document line: `net_unit_price` × `quantity`, rounded half-up to the cent.
  private func line(_ row: TableReader, _ products: [String: ProductInfo]) -> DocumentLine? {
    let sku = row.string("sku")
    let quantity = row.integer("quantity", in: 1...1_000_000_000)
    let unit = row.decimal("net_unit_price")
    row.finish()
    guard let sku, let quantity, let unit else { return nil }
    guard let product = products[sku] else {
      row.problem(.reference, "sku", "no [[product]] has sku '\(sku)'")
      return nil
    }
    guard
      let amount = try? Money(rounding: unit.multiplied(by: ExactDecimal(Int(quantity))), .halfUp)
    else {
      row.problem(.value, "net_unit_price", "\(unit) × \(quantity) is out of range")
      return nil
    }
    return DocumentLine(
      sku: sku, category: product.category, brand: product.brand, quantity: quantity,
      listPrice: product.listPrice.exact, netUnitPrice: unit, netAmount: amount)
  }

  private func lines(_ row: TableReader, _ products: [String: ProductInfo]) -> [DocumentLine] {
    row.tables("line", maximumCount: ScenarioLimits.maxRows).compactMap { line($0, products) }
  }

  private func invoice(_ row: TableReader, _ products: [String: ProductInfo]) -> Invoice? {
    let number = row.string("number")
    let dealer = row.string("dealer")
    let day = row.day("date")
    let due = row.day("due", required: false)
    let vat = row.percent("vat")
    let documentLines = lines(row, products)
    noteRecorded(row, number)
    row.finish()
    guard let number, let dealer, let day, let vat, !documentLines.isEmpty else { return nil }
    return Invoice(
      number: number, dealer: dealer, day: day, dueDay: due ?? day.adding(days: 30),
      vatRate: vat, lines: documentLines)
  }

  private func creditNote(_ row: TableReader, _ products: [String: ProductInfo]) -> CreditNote? {
    let number = row.string("number")
    let dealer = row.string("dealer")
    let day = row.day("date")
    let vat = row.percent("vat")
    let invoice = row.string("invoice", required: false)
    let documentLines = lines(row, products)
    noteRecorded(row, number)
    row.finish()
    guard let number, let dealer, let day, let vat, !documentLines.isEmpty else { return nil }
    return CreditNote(
      number: number, dealer: dealer, day: day, vatRate: vat, lines: documentLines,
      invoiceNumber: invoice)
  }

  private func payment(_ row: TableReader) -> Payment? {
    let id = row.string("id")
    let dealer = row.string("dealer")
    let day = row.day("date")
    let gross = row.money("gross")
    let invoice = row.string("invoice", required: false)
    noteRecorded(row, id)
    row.finish()
    guard let id, let dealer, let day, let gross else { return nil }
    return Payment(id: id, dealer: dealer, day: day, grossAmount: gross, invoiceNumber: invoice)
  }

  /// `[[sellout]]` rows: a monthly report (`month`, `received`) or a sale (`date`, `sku`,
  /// `quantity`); `covered_through` on any row sets the dealer's coverage.
  private func readSellOut(_ rows: [TableReader]) -> [String: SellOutData] {
    var histories: [String: SubmissionHistory] = [:]
    var sales: [String: [SoldOut]] = [:]
    var covered: [String: Day] = [:]
    for row in rows {
      guard let dealer = row.string("dealer") else { continue }
      if let month = row.string("month", required: false), let received = row.day("received") {
        guard let period = try? Period.parse(month),
          (try? histories[dealer, default: SubmissionHistory()].record(
            dealer: dealer, month: period, sha256: "scenario-\(dealer)-\(month)",
            receivedOn: received, lineCount: 1)) != nil
        else {
          row.problem(.value, "month", "'\(month)' is not a month such as 2026-07")
          continue
        }
      }
      if let day = row.day("date", required: false), let sku = row.string("sku"),
        let quantity = row.integer("quantity", in: 1...1_000_000_000)
      {
        sales[dealer, default: []].append(SoldOut(day: day, sku: sku, quantity: quantity))
      }
      if let through = row.day("covered_through", required: false) { covered[dealer] = through }
      row.finish()
    }
    var data: [String: SellOutData] = [:]
    for dealer in Set(histories.keys).union(sales.keys).union(covered.keys) {
      data[dealer] = SellOutData(
        history: histories[dealer] ?? SubmissionHistory(), sales: sales[dealer] ?? [],
        coveredThrough: covered[dealer])
    }
    return data
  }

  private func priceChange(_ row: TableReader) -> PriceChange? {
    let sku = row.string("sku")
    let day = row.day("effective")
    let old = row.money("old_list_price")
    let new = row.money("new_list_price")
    row.finish()
    guard let sku, let day, let old, let new else { return nil }
    return PriceChange(
      sku: sku, effective: day, document: "PC-\(sku)-\(day)", oldListPrice: old,
      newListPrice: new)
  }

  private func quote(_ row: TableReader) -> ScenarioQuote? {
    let name = row.string("name")
    let dealer = row.string("dealer")
    let sku = row.string("sku")
    let quantity = row.integer("quantity", in: 1...1_000_000_000)
    let day = row.day("date")
    row.finish()
    guard let name, let dealer, let sku, let quantity, let day else { return nil }
    return ScenarioQuote(name: name, dealer: dealer, sku: sku, quantity: Int(quantity), day: day)
  }

  private func allocation(_ row: TableReader) -> ScenarioAllocation? {
    let name = row.string("name")
    let amount = row.money("amount", allowNegative: true)
    let bases = amounts(row, "bases")
    row.finish()
    guard let name, let amount, let bases else { return nil }
    return ScenarioAllocation(name: name, amount: amount, bases: bases)
  }

  /// An array of amounts (`[1000.00, 1000.00]`), each zero or more; nil (reported) otherwise.
  private func amounts(_ row: TableReader, _ key: String) -> [Money]? {
    guard let value = row.value(key, required: true) else { return nil }
    var result: [Money] = []
    if case .array(let items) = value.kind, items.count <= ScenarioLimits.maxRows {
      for item in items {
        guard case .decimal(let decimal) = item.kind, let amount = try? Money(exact: decimal),
          amount.minor >= 0
        else { break }
        result.append(amount)
      }
      if !result.isEmpty, result.count == items.count { return result }
    }
    row.problem(
      .value, key, "expected an array of amounts of zero or more, such as [100.00, 50.00]")
    return nil
  }

  private func expectation(_ row: TableReader) -> ScenarioExpectation? {
    let subject = row.string("subject")
    let figure = row.string("figure")
    let amount = row.has("amount") ? row.money("amount", allowNegative: true) : nil
    let text = row.string("value", required: amount == nil)
    row.finish()
    guard let subject, let figure, let value = amount?.description ?? text else { return nil }
    return ScenarioExpectation(subject: subject, figure: figure, value: value)
  }
}
