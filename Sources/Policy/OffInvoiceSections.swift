import Mechanics
import PolicyFormat
import RebateCore
import SellOut

/// Decodes the off-invoice sections into the settings types of the Mechanics and SellOut
/// modules, then runs their own validation so the policy file reports every rule they enforce.
enum OffInvoiceSections {
  static let maximumRows = 50

  static func decode(_ root: TableReader, rounding: RoundingMode) -> OffInvoiceSettings? {
    var settings = OffInvoiceSettings()
    var eligibility: [String: MechanicEligibility] = [:]
    var valid = true
    // Read first: the mechanics' `eligible_grades` must be grades this section can give.
    let grading = root.table("payment_grade", required: false)
    settings.paymentDiscipline = grading.flatMap(paymentDiscipline)
    grading?.finish()
    if grading != nil && settings.paymentDiscipline == nil { valid = false }
    func read<Value>(_ key: String, _ decode: (TableReader) -> Value?) -> Value? {
      guard let section = root.table(key, required: false) else { return nil }
      let value = decode(section)
      let conditions = Self.eligibility(section, grading: settings.paymentDiscipline)
      section.finish()
      if value == nil || conditions == nil { valid = false }
      if let conditions, !conditions.isEmpty { eligibility[key] = conditions }
      return value
    }
    settings.earlyPayment = read("early_payment") { earlyPayment($0, rounding) }
    settings.volumeBonus = read("volume_bonus") { volumeBonus($0, rounding) }
    settings.focusProducts = read("focus_products") { focusProducts($0, rounding) }
    settings.reportingBonus = read("reporting_bonus") { reportingBonus($0, rounding) }
    settings.priceProtection = read("price_protection") { priceProtection($0, rounding) }
    settings.eligibility = eligibility
    return valid ? settings : nil
  }

  /// `eligible_grades = ["A", "B"]`, `eligible_segments = ["champions"]` and
  /// `min_sellout_completeness = "80%"` in a mechanic's section; nil when one is malformed.
  static func eligibility(_ section: TableReader, grading: PaymentDisciplineSettings?)
    -> MechanicEligibility?
  {
    let grades = section.strings("eligible_grades", maximumCount: maximumRows)
    let segments = section.strings("eligible_segments", maximumCount: maximumRows)
    let completeness = section.percent("min_sellout_completeness", required: false)
    for (key, decoded) in [
      ("eligible_grades", grades != nil), ("eligible_segments", segments != nil),
      ("min_sellout_completeness", completeness != nil),
    ] where section.has(key) && !decoded {
      return nil
    }
    // Both checked so one run reports both mistakes.
    let gradesKnown = knownGrades(grades, section, grading: grading)
    let segmentsKnown = knownSegments(segments, section)
    guard gradesKnown, segmentsKnown else { return nil }
    return MechanicEligibility(
      grades: grades.map(Set.init), segments: segments.map(Set.init),
      minSellOutCompleteness: completeness)
  }

  /// Grades must be ones `[payment_grade]` can give, or the condition could never be met (or
  /// never bite).
  static func knownGrades(
    _ grades: [String]?, _ section: TableReader, grading: PaymentDisciplineSettings?
  ) -> Bool {
    guard let grades else { return true }
    guard let grading else {
      section.problem(
        .reference, "eligible_grades", "needs a [payment_grade] section to give grades")
      return false
    }
    let known = grading.rules.map(\.grade) + [grading.fallbackGrade]
    guard let unknown = grades.first(where: { !known.contains($0) }) else { return true }
    section.problem(
      .reference, "eligible_grades",
      "'\(unknown)' is not a grade of [payment_grade] (\(known.joined(separator: ", ")))")
    return false
  }

  /// Segments must be names segmentation gives, for the same reason as grades.
  static func knownSegments(_ segments: [String]?, _ section: TableReader) -> Bool {
    guard let problem = RFMSegment.problem(segments ?? []) else { return true }
    section.problem(.reference, "eligible_segments", problem)
    return false
  }

  /// Reports a mechanic's own validation failure at its section.
  static func check(_ section: TableReader, _ validate: () throws(MechanicsError) -> Void) -> Bool {
    do {
      try validate()
      return true
    } catch {
      section.log.report(.rule, at: section.location, path: section.path, error.description)
      return false
    }
  }

  static func check(_ section: TableReader, problems: [String]) -> Bool {
    for problem in problems {
      section.log.report(.rule, at: section.location, path: section.path, problem)
    }
    return problems.isEmpty
  }

  /// `[early_payment]` with `[[early_payment.step]] max_days = 10, rate = "2%"`.
  static func earlyPayment(_ section: TableReader, _ rounding: RoundingMode)
    -> EarlyPaymentSettings?
  {
    let rows = section.tables("step", maximumCount: maximumRows).map { row -> EarlyPaymentStep? in
      let days = row.integer("max_days", in: 0...3_650)
      let rate = row.percent("rate")
      row.finish()
      guard let days, let rate else { return nil }
      return EarlyPaymentStep(maxDaysAfterInvoice: Int(days), rate: rate)
    }
    guard !rows.isEmpty, rows.allSatisfy({ $0 != nil }) else { return nil }
    let settings = EarlyPaymentSettings(steps: rows.map { $0! }, rounding: rounding)
    return check(section) { () throws(MechanicsError) in try settings.validate() } ? settings : nil
  }

  /// `[payment_grade] fallback = "C"` with `[[payment_grade.rule]]` tried in order.
  static func paymentDiscipline(_ section: TableReader) -> PaymentDisciplineSettings? {
    let fallback = section.string("fallback")
    let rules = section.tables("rule", maximumCount: maximumRows).map { row -> GradeRule? in
      let grade = row.string("grade")
      let share = row.percent("min_paid_by_due")
      let daysLate = row.decimal("max_weighted_days_late", required: false)
      row.finish()
      guard let grade, let share, daysLate != nil || !row.has("max_weighted_days_late") else {
        return nil
      }
      if let daysLate, daysLate.isNegative {
        row.problem(.value, "max_weighted_days_late", "must not be negative")
        return nil
      }
      return GradeRule(grade: grade, minPaidByDueShare: share, maxWeightedDaysLate: daysLate)
    }
    guard let fallback, rules.allSatisfy({ $0 != nil }) else { return nil }
    return PaymentDisciplineSettings(rules: rules.map { $0! }, fallbackGrade: fallback)
  }

  enum ScaleKind: String, CaseIterable {
    case retroactive, incremental
    case planAttainment = "plan_attainment"
  }

  /// `[volume_bonus]`: `scale`, `[[volume_bonus.tier]]`, product group, paid-only, conditions.
  static func volumeBonus(_ section: TableReader, _ rounding: RoundingMode) -> VolumeBonusSettings?
  {
    let kind: ScaleKind? = section.choice("scale")
    let rows = section.tables("tier", maximumCount: maximumRows)
    let group = productGroup(section)
    let cutoff = section.integer("paid_only_cutoff_days", required: false, in: 0...365)
    let growth = section.percent("min_growth", required: false, in: .zero...ExactDecimal(10))
    let orders = section.integer("min_orders", required: false, in: 1...100_000)
    var valid = group != nil
    for key in ["paid_only_cutoff_days", "min_growth", "min_orders"] where section.has(key) {
      let decoded: Any? = key == "min_growth" ? growth : key == "min_orders" ? orders : cutoff
      if decoded == nil { valid = false }
    }
    guard let kind, let scale = scale(kind, rows), valid, let group else { return nil }
    var conditions: [VolumeCondition] = []
    if let growth { conditions.append(.growth(minimum: growth)) }
    if let orders { conditions.append(.minimumOrders(Int(orders))) }
    let settings = VolumeBonusSettings(
      scale: scale, productGroup: group.isEmpty ? nil : group.value,
      paidOnly: cutoff.map { PaidOnlyBasis(cutoffDaysAfterPeriodEnd: Int($0)) },
      conditions: conditions, rounding: rounding)
    return check(section) { () throws(MechanicsError) in try settings.validate() } ? settings : nil
  }

  static func scale(_ kind: ScaleKind, _ rows: [TableReader]) -> VolumeScale? {
    switch kind {
    case .retroactive, .incremental:
      let tiers = rows.map { row -> VolumeTier? in
        let from = row.money("from")
        let rate = row.percent("rate")
        row.finish()
        guard let from, let rate else { return nil }
        return VolumeTier(fromAmount: from, rate: rate)
      }
      guard !tiers.isEmpty, tiers.allSatisfy({ $0 != nil }) else { return nil }
      return kind == .retroactive
        ? .retroactive(tiers.map { $0! }) : .incremental(tiers.map { $0! })
    case .planAttainment:
      let steps = rows.map { row -> AttainmentStep? in
        let from = row.percent("from_attainment", in: .zero...ExactDecimal(10))
        let rate = row.percent("rate")
        row.finish()
        guard let from, let rate else { return nil }
        return AttainmentStep(fromAttainment: from, rate: rate)
      }
      guard !steps.isEmpty, steps.allSatisfy({ $0 != nil }) else { return nil }
      return .planAttainment(steps.map { $0! })
    }
  }

  /// `categories`, `brands`, `skus` restrict a mechanic to a product group; nil when one is
  /// malformed, `isEmpty` when none is given.
  static func productGroup(_ section: TableReader) -> (value: ProductGroup, isEmpty: Bool)? {
    let categories = section.strings("categories")
    let brands = section.strings("brands")
    let skus = section.strings("skus")
    for (key, value) in [("categories", categories), ("brands", brands), ("skus", skus)]
    where section.has(key) && value == nil {
      return nil
    }
    let group = ProductGroup(
      categories: Set(categories ?? []), brands: Set(brands ?? []), skus: Set(skus ?? []))
    return (group, categories == nil && brands == nil && skus == nil)
  }

  /// `[focus_products]`: a separate basis of listed products at one rate.
  static func focusProducts(_ section: TableReader, _ rounding: RoundingMode)
    -> VolumeBonusSettings?
  {
    let group = productGroup(section)
    let rate = section.percent("rate")
    guard let group, let rate else { return nil }
    guard !group.isEmpty else {
      section.log.report(
        .missingKey, at: section.location, path: section.path,
        "focus products need categories, brands or skus")
      return nil
    }
    return VolumeBonusSettings.focusProducts(group: group.value, rate: rate, rounding: rounding)
  }

  /// `[reporting_bonus] due_day = 10, rate = "0.5%", payout = "pro_rata"`.
  static func reportingBonus(_ section: TableReader, _ rounding: RoundingMode)
    -> ReportingBonusSettings?
  {
    let dueDay = section.integer("due_day", in: 1...31)
    let rate = section.percent("rate")
    let payout: ReportingBonusPayout? = section.choice("payout")
    guard let dueDay, let rate, let payout else { return nil }
    let settings = ReportingBonusSettings(
      dueDayOfNextMonth: Int(dueDay), rate: rate, payout: payout, rounding: rounding)
    return check(section, problems: settings.problems) ? settings : nil
  }

  /// `[price_protection] window_days = 60, coverage = "require_sell_out_coverage"`.
  static func priceProtection(_ section: TableReader, _ rounding: RoundingMode)
    -> PriceProtectionSettings?
  {
    let window = section.integer("window_days", in: 1...3_650)
    let coverage: PriceProtectionCoverageRule? = section.choice("coverage", required: false)
    guard let window, coverage != nil || !section.has("coverage") else { return nil }
    let settings = PriceProtectionSettings(
      windowDays: Int(window), coverage: coverage ?? .requireSellOutCoverage, rounding: rounding)
    return check(section, problems: settings.problems) ? settings : nil
  }
}
