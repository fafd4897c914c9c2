/// A dealer of the sample network and how it behaves.
struct SampleDealer {
  enum PaymentHabit: CaseIterable { case early, onTime, late, erratic }

  let code: String
  let name: String
  let tier: String
  let segment: String
  let region: String
  let status: String
  let habit: PaymentHabit
  /// Invoices per month in an average month.
  let invoicesPerMonth: Int
}

enum Network {
  static let regions = [
    "Moscow", "Saint Petersburg", "Kazan", "Novosibirsk", "Yekaterinburg", "Samara", "Krasnodar",
    "Rostov-on-Don",
  ]
  static let segments = ["installer", "retail chain", "online", "wholesale"]
  static let namePrefixes = [
    "Teplo", "Aqua", "Term", "Klimat", "Santeh", "Energo", "Vodo", "Kotlo", "Gidro", "Profi",
  ]
  static let nameSuffixes = ["Service", "Trade", "Market", "Group", "Montazh", "Snab", "Pro"]

  static func dealers(_ plan: SamplePlan) -> [SampleDealer] {
    var random = SplitMix64(seed: plan.seed ^ 0xDEA1E5)
    return (0..<plan.dealerCount).map { index in
      let number = String(index + 1)
      let code = "D" + String(repeating: "0", count: max(0, 5 - number.count)) + number
      let tierRoll = random.int(0...99)
      let tier = tierRoll < 15 ? "Gold" : tierRoll < 50 ? "Silver" : "Bronze"
      let habitRoll = random.int(0...99)
      let habit: SampleDealer.PaymentHabit =
        habitRoll < 30 ? .early : habitRoll < 70 ? .onTime : habitRoll < 90 ? .late : .erratic
      let base = tier == "Gold" ? 8 : tier == "Silver" ? 5 : 3
      return SampleDealer(
        code: code,
        name: "\(random.pick(namePrefixes))\(random.pick(nameSuffixes)) \(number)",
        tier: tier, segment: random.pick(segments), region: random.pick(regions),
        status: random.chance(3) ? "suspended" : "active", habit: habit,
        invoicesPerMonth: base + random.int(0...base))
    }
  }

  /// On-invoice discount of the sample terms, in percent, before the volume step.
  static func tierDiscountPercent(_ tier: String) -> Int64 {
    switch tier {
    case "Gold": return 20
    case "Silver": return 15
    default: return 10
    }
  }
}
