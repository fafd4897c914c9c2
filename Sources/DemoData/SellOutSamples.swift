import RebateCore

/// One sample sell-out file: whose, for which month, when it is sent, and its text.
public struct SellOutSample: Sendable {
  public let dealer: String
  public let month: Period
  /// The day the dealer sends it (`rebate sellout submit --at`).
  public let submittedOn: Day
  public let fileName: String
  public let text: String
  /// A file the reader must reject: the demo shows its errors, then sends the corrected one.
  public let hasErrors: Bool
}

/// Sample sell-out reports of the first few dealers of a sample data set, derived from their
/// invoices: every month from the first invoice month to the month before `asOf`. Deterministic
/// for a seed, and streamed one file at a time. The dealers behave differently on purpose:
/// 1: always on time; 2: late with August 2026; 3: never sends July 2026 (no price protection
/// for the August drop); 4: Russian headers, `;`, DD.MM.YYYY and resale prices with a decimal
/// comma, and a corrected second version of September 2026; 5: its own product codes (see
/// `sellOutCodeLists`); 6: first sends an October 2026 file with errors, then the right one.
public enum SellOutSamples {
  public static let dealerCount = 6

  /// The codes dealer 5 uses instead of our SKUs: `dealer_code,sku` for `rebate sellout codes`.
  public static func codeLists(_ plan: SamplePlan, emit: (_ dealer: String, _ text: String) -> Void)
  {
    let dealer = Network.dealers(plan)[4]
    let lines = Catalog.products(plan).map { "\(ownCode($0.sku)),\($0.sku)" }
    emit(dealer.code, (["dealer_code,sku"] + lines).joined(separator: "\n") + "\n")
  }

  public static func generate(_ plan: SamplePlan, emit: (SellOutSample) -> Void) {
    let products = Catalog.products(plan)
    // SKUs are generated distinct (`Catalog.products`); the first wins, nothing can trap.
    let prices = Dictionary(products.map { ($0.sku, $0) }) { first, _ in first }
    let trade = Trade(plan: plan, products: products)
    let lastMonth = Period.containing(plan.asOf, grain: .month).previous
    for (index, dealer) in Network.dealers(plan).prefix(dealerCount).enumerated() {
      var moves = StockMoves()
      trade.generate(dealer: dealer, dealerIndex: index) { table, line in
        if table == .invoices { moves.add(invoiceRow: line) }
      }
      var random = SplitMix64(seed: (plan.seed ^ 0x5E11_0000) &+ UInt64(index))
      var stock: [String: Int64] = [:]
      var month = Period.containing(plan.firstDay, grain: .month)
      while month <= lastMonth {
        let sales = moves.sales(in: month, stock: &stock, &random)
        let habit = ReportingHabit(index: index)
        if !habit.skips(month) {
          for sample in habit.files(dealer.code, month, sales, prices) { emit(sample) }
        }
        month = month.next
      }
    }
  }

  static func ownCode(_ sku: String) -> String { "К-" + String(sku.filter { $0 != "-" }) }
}

/// Units in and out of one dealer's stock per month and SKU, from its invoice rows.
private struct StockMoves {
  var shipped: [Period: [String: Int64]] = [:]
  var returned: [Period: [String: Int64]] = [:]

  /// `document,kind,dealer,date,due_date,vat_percent,line,sku,qty,...` (SampleTable.invoices).
  mutating func add(invoiceRow: String) {
    let fields = invoiceRow.split(separator: ",", omittingEmptySubsequences: false)
    guard fields.count >= 9, let day = try? Day.parse(String(fields[3])),
      let quantity = Int64(fields[8])
    else { return }
    let month = Period.containing(day, grain: .month)
    if fields[1] == "invoice" {
      shipped[month, default: [:]][String(fields[7]), default: 0] += quantity
    } else {
      returned[month, default: [:]][String(fields[7]), default: 0] += quantity
    }
  }

  /// What the dealer sells in `month`: most of the stock it started with and part of what
  /// arrived, so stock turns over in about two months and never goes below zero.
  func sales(in month: Period, stock: inout [String: Int64], _ random: inout SplitMix64)
    -> [(sku: String, day: Int, quantity: Int64)]
  {
    let arrived = shipped[month] ?? [:]
    var sold: [(sku: String, day: Int, quantity: Int64)] = []
    let days = month.firstDay.days(until: month.lastDay) + 1
    for sku in Set(stock.keys).union(arrived.keys).sorted() {
      let opening = stock[sku] ?? 0
      let incoming = arrived[sku] ?? 0
      let credited = min(returned[month]?[sku] ?? 0, opening + incoming)
      let available = opening + incoming - credited
      let units = min(available, opening * Int64(random.int(50...80)) / 100 + incoming * 2 / 5)
      stock[sku] = available - max(units, 0)
      guard units > 0 else { continue }
      // One to three lines on different days, each with at least one unit.
      let parts = Int64(min(Int(units), random.int(1...3)))
      let firstDay = random.int(1...max(1, days - Int(parts) + 1))
      for part in 0..<parts {
        let share = units / parts + (part < units % parts ? 1 : 0)
        sold.append((sku, min(days, firstDay + Int(part)), share))
      }
    }
    return sold.sorted { ($0.day, $0.sku) < ($1.day, $1.sku) }
  }
}

/// How one of the sample dealers reports.
private struct ReportingHabit {
  let index: Int

  static let lateMonth = try! Period.parse("2026-08")
  static let missingMonth = try! Period.parse("2026-07")
  static let correctedMonth = try! Period.parse("2026-09")
  static let errorMonth = try! Period.parse("2026-10")

  func skips(_ month: Period) -> Bool { index == 2 && month == Self.missingMonth }

  func files(
    _ dealer: String, _ month: Period, _ sales: [(sku: String, day: Int, quantity: Int64)],
    _ products: [String: SampleProduct]
  ) -> [SellOutSample] {
    let due = month.next.firstDay
    let onTime = due.adding(days: [4, 7, 8, 6, 9, 5][index])
    let submitted = index == 1 && month == Self.lateMonth ? due.adding(days: 13) : onTime
    let name = "sellout-\(dealer)-\(month).csv"
    let text = render(month, sales, products)
    var files: [SellOutSample] = []
    if index == 5 && month == Self.errorMonth {
      files.append(
        SellOutSample(
          dealer: dealer, month: month, submittedOn: submitted, fileName: "bad-" + name,
          text: withErrors(text, month), hasErrors: true))
    }
    files.append(
      SellOutSample(
        dealer: dealer, month: month, submittedOn: submitted, fileName: name, text: text,
        hasErrors: false))
    if index == 3 && month == Self.correctedMonth, let first = sales.first {
      // The correction raises the first line by one unit: a new version, v1 kept.
      let corrected = [(first.sku, first.day, first.quantity + 1)] + sales.dropFirst()
      let extra = render(month, corrected, products)
      files.append(
        SellOutSample(
          dealer: dealer, month: month, submittedOn: submitted.adding(days: 3),
          fileName: "corrected-" + name, text: extra, hasErrors: false))
    }
    return files
  }

  private func render(
    _ month: Period, _ sales: [(sku: String, day: Int, quantity: Int64)],
    _ products: [String: SampleProduct]
  ) -> String {
    let (year, monthNumber, _) = month.firstDay.components
    var lines: [String] = []
    switch index {
    case 3:
      lines.append("Дата;Артикул;Количество;Цена")
      for sale in sales {
        let day = month.firstDay.adding(days: sale.day - 1)
        // Resale at list price plus 15 %, written with a decimal comma.
        let price = Money(minor: (products[sale.sku]?.listPrice(at: day) ?? 0) * 115 / 100)
        let text = price.description.replacingOccurrences(".", ",")
        lines.append(
          "\(pad(sale.day, 2)).\(pad(monthNumber, 2)).\(year);\(sale.sku);\(sale.quantity);\(text)")
      }
    case 4:
      lines.append("Date,Item code,Qty")
      for sale in sales {
        lines.append(
          "\(month.firstDay.adding(days: sale.day - 1)),\(SellOutSamples.ownCode(sale.sku)),"
            + "\(sale.quantity)")
      }
    default:
      lines.append("date,sku,qty")
      for sale in sales {
        lines.append("\(month.firstDay.adding(days: sale.day - 1)),\(sale.sku),\(sale.quantity)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Three mistakes a dealer's export really makes: a day that does not exist, a code that is
  /// not ours, and a fractional quantity.
  private func withErrors(_ text: String, _ month: Period) -> String {
    text
      + "\(month)-32,\(sampleSKU(text)),1\n\(month)-03,XX-0000,1\n\(month)-04,\(sampleSKU(text)),2.5\n"
  }

  private func sampleSKU(_ text: String) -> String {
    let lines = text.split(separator: "\n")
    guard lines.count > 1 else { return "XX-0001" }
    return String(lines[1].split(separator: ",")[1])
  }
}

extension String {
  /// Replaces every `target` with `replacement` (the core modules do without Foundation).
  fileprivate func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
    String(map { $0 == target ? replacement : $0 })
  }
}
