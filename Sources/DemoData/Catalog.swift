import RebateCore

/// A product of the sample catalog with its list price history.
struct SampleProduct {
  let sku: String
  let name: String
  let category: String
  let brand: String
  let costMinor: Int64
  /// List prices with their first day, oldest first.
  let listPrices: [(day: Day, priceMinor: Int64)]

  func listPrice(at day: Day) -> Int64 {
    listPrices.last { $0.day <= day }?.priceMinor ?? listPrices[0].priceMinor
  }
}

/// Heating and plumbing equipment: a realistic catalog for a manufacturer selling via dealers.
enum Catalog {
  /// Categories with their list price range, their share of invoice lines (cheap items are
  /// ordered far more often) and the usual quantity per line.
  struct Category {
    let name: String
    let code: String
    let priceRangeMajor: ClosedRange<Int>
    let lineWeight: Int
    let usualQty: ClosedRange<Int>
    /// Whether dealers sometimes order 50+ units at once (the quantity break of the policy).
    let bulk: Bool
  }

  static let categories: [Category] = [
    Category(
      name: "Boilers", code: "BOI", priceRangeMajor: 45_000...240_000, lineWeight: 4,
      usualQty: 1...2, bulk: false),
    Category(
      name: "Radiators", code: "RAD", priceRangeMajor: 4_000...28_000, lineWeight: 12,
      usualQty: 1...5, bulk: false),
    Category(
      name: "Pumps", code: "PMP", priceRangeMajor: 6_000...60_000, lineWeight: 8,
      usualQty: 1...2, bulk: false),
    Category(
      name: "Water heaters", code: "WHT", priceRangeMajor: 12_000...90_000, lineWeight: 6,
      usualQty: 1...2, bulk: false),
    Category(
      name: "Valves", code: "VLV", priceRangeMajor: 400...6_000, lineWeight: 25,
      usualQty: 2...14, bulk: true),
    Category(
      name: "Thermostats", code: "THS", priceRangeMajor: 2_000...18_000, lineWeight: 15,
      usualQty: 1...3, bulk: false),
    Category(
      name: "Pipes and fittings", code: "PIP", priceRangeMajor: 150...3_500, lineWeight: 30,
      usualQty: 3...12, bulk: true),
  ]
  static let brands = ["Nordheat", "Aquaflow", "Thermex", "Valtek"]

  /// The catalog price increase on 2027-01-01 is not in the data; the list rises 5 % on
  /// 2026-01-01, and two price drops follow (see `priceDrops`).
  static func products(_ plan: SamplePlan) -> [SampleProduct] {
    var random = SplitMix64(seed: plan.seed ^ 0xC0FFEE)
    let increaseDay = try! Day.parse("2026-01-01")
    return (0..<plan.skuCount).map { index in
      let category = categories[index % categories.count]
      let brand = brands[(index / categories.count) % brands.count]
      let priceMajor = random.int(category.priceRangeMajor)
      let listMinor = Int64(priceMajor) * 100
      let costMinor = listMinor * Int64(random.int(42...58)) / 100
      var prices = [(plan.firstDay, listMinor), (increaseDay, listMinor * 105 / 100)]
      if let drop = priceDrops.first(where: { $0.category == category.name }), index % 2 == 0 {
        let dropDay = try! Day.parse(drop.day)
        prices.append((dropDay, listMinor * 105 / 100 * Int64(100 - drop.percent) / 100))
      }
      let number = String(index + 1)
      let sku =
        "\(brand.prefix(2).uppercased())-\(category.code)-"
        + String(repeating: "0", count: 4 - number.count) + number
      return SampleProduct(
        sku: sku, name: "\(brand) \(category.name.lowercased()) model \(number)",
        category: category.name, brand: brand, costMinor: costMinor,
        listPrices: prices.map { (day: $0.0, priceMinor: $0.1) })
    }
  }

  /// Price drops on half of a category's SKUs, which trigger price protection.
  static let priceDrops: [(category: String, day: String, percent: Int64)] = [
    ("Thermostats", "2026-05-01", 8), ("Boilers", "2026-08-15", 10),
  ]
}
