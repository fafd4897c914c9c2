import RebateCore

/// Whether price protection needs the dealer's sell-out reports to cover the days before the
/// price change. Without them the engine cannot know what is still in the channel.
public enum PriceProtectionCoverageRule: String, Sendable, Hashable, CaseIterable {
  /// Default: reports must cover every day up to the day before the effective date.
  case requireSellOutCoverage = "require_sell_out_coverage"
  /// Protect what the reports show, even when they stop before the change.
  case notRequired = "not_required"
}

/// Policy settings of price protection (E8).
public struct PriceProtectionSettings: Sendable, Hashable {
  /// Units shipped at most this many days before the effective date are protected.
  public var windowDays: Int
  public var coverage: PriceProtectionCoverageRule
  public var rounding: RoundingMode

  public init(
    windowDays: Int, coverage: PriceProtectionCoverageRule = .requireSellOutCoverage,
    rounding: RoundingMode = .halfUp
  ) {
    self.windowDays = windowDays
    self.coverage = coverage
    self.rounding = rounding
  }
}

extension PriceProtectionSettings {
  /// What is wrong with these settings; empty when they are usable.
  public var problems: [String] {
    windowDays >= 1 ? [] : ["window of \(windowDays) days protects nothing; use at least 1"]
  }
}

/// A list price change of one SKU.
public struct PriceChange: Sendable, Hashable {
  public let sku: String
  public let effective: Day
  public let document: String
  public let oldListPrice: Money
  public let newListPrice: Money

  public init(
    sku: String, effective: Day, document: String, oldListPrice: Money, newListPrice: Money
  ) {
    self.sku = sku
    self.effective = effective
    self.document = document
    self.oldListPrice = oldListPrice
    self.newListPrice = newListPrice
  }
}

/// E8: refunds the dealer the price drop on protected units still in its channel inventory.
public enum PriceProtection {
  public static let mechanic = "price_protection"

  /// One result line for one SKU and one price change. `newNetUnitPrice` is the dealer's net at
  /// the effective date through its cascade, computed by the caller; `inventory` is the SKU's
  /// channel inventory at the effective date; `coveredThrough` is the last day the dealer's
  /// sell-out reports cover.
  public static func compute(
    dealer: String, period: Period, change: PriceChange, newNetUnitPrice: ExactDecimal,
    inventory: SKUInventory?, coveredThrough: Day?, settings: PriceProtectionSettings
  ) throws(CoreError) -> ResultLine {
    precondition(settings.problems.isEmpty, "settings are validated with the policy")
    let effective = change.effective
    var inputs = [
      ExplanationInput("sku", change.sku),
      ExplanationInput("effective", effective.description),
      ExplanationInput(
        "list price", "\(change.oldListPrice.grouped) → \(change.newListPrice.grouped)"),
      ExplanationInput("new net unit price", newNetUnitPrice.description),
      ExplanationInput("window", "\(settings.windowDays) days"),
      ExplanationInput("sell-out covered through", coveredThrough?.description ?? "no reports"),
    ]
    let priceSource = SourceDocument(kind: "price_change", number: change.document, day: effective)
    func line(_ amount: Money, _ formula: String, _ sources: [SourceDocument], _ note: String?)
      -> ResultLine
    {
      ResultLine(
        dealer: dealer, period: period, mechanic: mechanic, amount: amount,
        explanation: Explanation(
          rule: "\(mechanic) window \(settings.windowDays) days, \(settings.coverage.rawValue)",
          inputs: inputs, formula: formula, sources: sources, note: note))
    }
    let needed = effective.adding(days: -1)
    if settings.coverage == .requireSellOutCoverage,
      (coveredThrough ?? .init(daysSinceEpoch: .min)) < needed
    {
      let reason =
        "no protection: sell-out reports cover "
        + (coveredThrough.map { "up to \($0)" } ?? "no day")
        + "; a price change effective \(effective) needs reports through \(needed)"
      return line(.zero, "coverage missing → 0.00", [priceSource], reason)
    }
    var terms: [String] = []
    var total = ExactDecimal.zero
    var sources = [priceSource]
    for layer in inventory?.remainingLayers ?? [] {
      let age = layer.shippedOn.days(until: effective)
      let paid = layer.netUnitPrice
      let drop = max(ExactDecimal.zero, try paid.subtracting(newNetUnitPrice))
      let protected = age <= settings.windowDays
      let verdict =
        protected
        ? "protected, \(drop.description)/unit"
        : "outside the \(settings.windowDays)-day window"
      inputs.append(
        ExplanationInput(
          "layer \(layer.document)",
          "\(layer.remaining) units shipped \(layer.shippedOn) (\(age) days before) at "
            + "\(paid.description): \(verdict)"))
      guard protected else { continue }
      total = try total.adding(try drop.multiplied(by: ExactDecimal(Int(layer.remaining))))
      terms.append("\(layer.remaining) × \(drop.description)")
      sources.append(
        SourceDocument(kind: "invoice", number: layer.document, day: layer.shippedOn))
    }
    let amount = try Money(rounding: total, settings.rounding)
    let formula =
      (terms.isEmpty ? "no protected units" : terms.joined(separator: " + "))
      + " = \(amount.grouped)"
    return line(amount, formula, sources, nil)
  }
}
