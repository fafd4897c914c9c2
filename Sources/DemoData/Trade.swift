import RebateCore

/// Invoices, credit notes and payments of one dealer, generated month by month so that a large
/// data set streams out in memory bounded by one dealer's history.
struct Trade {
  /// Heating equipment sells in autumn: relative volume per calendar month, in percent.
  static let seasonPercent = [90, 80, 80, 70, 70, 80, 90, 110, 130, 140, 130, 110]
  static let vatPercent: Int64 = 20
  static let paymentTermDays = 30
  static let volumeStepQty = 50

  let plan: SamplePlan
  let products: [SampleProduct]
  /// Product indices per category, in the order of `Catalog.categories`.
  let productsByCategory: [[Int]]
  let categoryWeightTotal: Int

  init(plan: SamplePlan, products: [SampleProduct]) {
    self.plan = plan
    self.products = products
    productsByCategory = Catalog.categories.map { category in
      products.indices.filter { products[$0].category == category.name }
    }
    categoryWeightTotal = Catalog.categories.reduce(0) { $0 + $1.lineWeight }
  }

  /// A product and a quantity for one invoice line, cheap items far more often than boilers.
  private func pickLine(_ random: inout SplitMix64) -> (SampleProduct, Int) {
    var roll = random.int(0...(categoryWeightTotal - 1))
    var index = 0
    while roll >= Catalog.categories[index].lineWeight {
      roll -= Catalog.categories[index].lineWeight
      index += 1
    }
    let category = Catalog.categories[index]
    let product = products[random.pick(productsByCategory[index])]
    let qty =
      category.bulk && random.chance(8) ? random.int(50...100) : random.int(category.usualQty)
    return (product, qty)
  }

  /// The net unit price the sample dealers' terms give under policies/standard-2026.toml: the
  /// tier step, then the 50-unit quantity break, rounded half-up once per unit (per_unit).
  static func termsPrice(_ listMinor: Int64, tier: String, qty: Int) -> Int64 {
    let tierPercent = Network.tierDiscountPercent(tier)
    let volumePercent: Int64 = qty >= volumeStepQty ? 5 : 0
    return roundedHalfUp(listMinor * (100 - tierPercent) * (100 - volumePercent), 10_000)
  }

  static func roundedHalfUp(_ numerator: Int64, _ denominator: Int64) -> Int64 {
    (numerator + denominator / 2) / denominator
  }

  struct Invoice {
    let number: String
    let day: Day
    let grossMinor: Int64
  }

  func generate(
    dealer: SampleDealer, dealerIndex: Int, emit: (SampleTable, String) -> Void
  ) {
    var random = SplitMix64(seed: plan.seed &+ UInt64(dealerIndex) &* 0x1000_0001)
    var invoiceCount = 0
    var paymentCount = 0
    var month = Period.containing(plan.firstDay, grain: .month)
    while month.firstDay <= plan.lastDay {
      let target = dealer.invoicesPerMonth * Trade.seasonPercent[month.index - 1] / 100
      for _ in 0..<max(1, target + random.int(-1...1)) {
        invoiceCount += 1
        let day = month.firstDay.adding(
          days: random.int(0...(month.firstDay.days(until: month.lastDay))))
        let number = "INV-\(dealer.code)-\(pad(invoiceCount, 4))"
        let invoice = writeInvoice(number, dealer, day, &random, emit)
        if random.chance(3) { writeCreditNote(for: invoice, dealer, &random, emit) }
        writePayments(for: invoice, dealer, &paymentCount, &random, emit)
      }
      month = month.next
    }
  }

  private func writeInvoice(
    _ number: String, _ dealer: SampleDealer, _ day: Day, _ random: inout SplitMix64,
    _ emit: (SampleTable, String) -> Void
  ) -> Invoice {
    var netMinor: Int64 = 0
    let due = day.adding(days: Trade.paymentTermDays)
    for line in 1...random.int(2...8) {
      let (product, qty) = pickLine(&random)
      let listMinor = product.listPrice(at: day)
      var unitMinor = Trade.termsPrice(listMinor, tier: dealer.tier, qty: qty)
      if random.int(0...999) < plan.leakagePerMille {
        unitMinor = Trade.roundedHalfUp(unitMinor * 97, 100)
      }
      netMinor += unitMinor * Int64(qty)
      emit(
        .invoices,
        "\(number),invoice,\(dealer.code),\(day),\(due),\(Trade.vatPercent),\(line),\(product.sku),"
          + "\(qty),\(Money(minor: listMinor)),\(Money(minor: unitMinor)),")
    }
    // Gross is net plus VAT rounded half-up to the kopeck, as an invoice prints it.
    return Invoice(
      number: number, day: day, grossMinor: (netMinor * (100 + Trade.vatPercent) + 50) / 100)
  }

  private func writeCreditNote(
    for invoice: Invoice, _ dealer: SampleDealer, _ random: inout SplitMix64,
    _ emit: (SampleTable, String) -> Void
  ) {
    let day = invoice.day.adding(days: random.int(5...40))
    guard day <= plan.lastDay else { return }
    let product = products[random.int(0...(products.count - 1))]
    let listMinor = product.listPrice(at: invoice.day)
    let unitMinor = Trade.termsPrice(listMinor, tier: dealer.tier, qty: 1)
    emit(
      .invoices,
      "CN-\(invoice.number.dropFirst(4)),credit_note,\(dealer.code),\(day),,\(Trade.vatPercent),1,"
        + "\(product.sku),\(random.int(1...3)),\(Money(minor: listMinor)),\(Money(minor: unitMinor)),"
        + invoice.number)
  }

  /// Payment habits: early payers settle in 3–10 days, on-time payers in 11–30, late payers in
  /// 31–75. Many dealers pay in instalments; erratic payers always do, and some of their payments
  /// carry no invoice reference (they settle the oldest open invoice).
  private func writePayments(
    for invoice: Invoice, _ dealer: SampleDealer, _ count: inout Int, _ random: inout SplitMix64,
    _ emit: (SampleTable, String) -> Void
  ) {
    let (daysRange, instalments): (ClosedRange<Int>, Int)
    switch dealer.habit {
    case .early: (daysRange, instalments) = (3...10, random.chance(20) ? 2 : 1)
    case .onTime: (daysRange, instalments) = (11...30, random.chance(60) ? 2 : 1)
    case .late: (daysRange, instalments) = (31...75, random.int(2...3))
    case .erratic: (daysRange, instalments) = (5...60, 3)
    }
    var leftMinor = invoice.grossMinor
    var days = 0
    for part in 1...instalments {
      let shareMinor =
        part == instalments ? leftMinor : invoice.grossMinor * Int64(random.int(25...50)) / 100
      leftMinor -= shareMinor
      days = max(days + 1, random.int(daysRange))
      let day = invoice.day.adding(days: days)
      guard day <= plan.asOf, shareMinor > 0 else { return }
      count += 1
      let referenced = dealer.habit != .erratic || random.chance(50)
      emit(
        .payments,
        "PAY-\(dealer.code)-\(pad(count, 5)),\(dealer.code),\(day),\(Money(minor: shareMinor)),"
          + (referenced ? invoice.number : ""))
    }
  }
}

func pad(_ value: Int, _ width: Int) -> String {
  let text = String(value)
  return String(repeating: "0", count: max(0, width - text.count)) + text
}
