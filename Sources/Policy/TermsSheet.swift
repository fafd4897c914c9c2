import Mechanics
import PolicyFormat
import Pricing
import RebateCore
import SellOut

/// The terms sheet a sales manager sends a dealer: every discount, bonus scale and condition in
/// plain language. It is built from the same policy values and the same condition masks the
/// engine prices with, so it cannot disagree with the invoices. One model, two renderings
/// (plain text and a self-contained HTML page).
public struct TermsSheet: Sendable, Hashable {
  public struct Section: Sendable, Hashable {
    public let heading: String
    public let paragraphs: [String]
    /// A table; the first row is its header. Empty when the section has none.
    public let rows: [[String]]
  }

  public let title: String
  public let sections: [Section]

  /// The sheet for `terms` under `policy`, for a dealer of `segment` in `region` paying on
  /// `paymentTerms` (the attributes the cascade's dealer conditions look at).
  public init(
    policy: CommercialPolicy, terms: DealerTerms, segment: String, region: String,
    paymentTerms: String
  ) throws(PricingError) {
    let engine = try PriceEngine(policy.cascade)
    let dealer = try engine.compile(
      DealerProfile(
        tier: terms.tier, segment: segment, region: region, paymentTerms: paymentTerms,
        extraDiscount: terms.extraDiscount))
    title = "Commercial terms of \(terms.dealer) — \(policy.name)"
    var sections = [Self.summary(policy, terms)]
    sections.append(Self.cascade(policy, terms, offered: engine.stepsOffered(to: dealer)))
    sections += Self.offInvoice(policy)
    self.sections = sections
  }

  static func summary(_ policy: CommercialPolicy, _ terms: DealerTerms) -> Section {
    var extra = "none"
    if terms.extraDiscount > .zero {
      extra = Percent.text(terms.extraDiscount) + " off, after the discounts below"
      if let approver = terms.approvedBy { extra += " (approved by \(approver))" }
    }
    return Section(
      heading: "Your terms",
      paragraphs: [],
      rows: [
        ["Item", "Value"],
        ["Dealer", terms.dealer],
        ["Policy", "\(policy.name) (\(policy.reference))"],
        ["Tier", terms.tier],
        ["Extra discount", extra],
        ["Terms version", "v\(terms.version), in force from \(terms.effectiveFrom)"],
        ["Status", terms.status == .approved ? "approved" : "waiting for approval"],
        ["Bonus period", policy.periodGrain.rawValue],
      ])
  }

  static func cascade(_ policy: CommercialPolicy, _ terms: DealerTerms, offered: [Int]) -> Section {
    let cascade = policy.cascade
    var rows = [["#", "Discount", "Applies to"]]
    for index in offered {
      let step = cascade.steps[index]
      if step.adjustment == .dealerExtra && terms.extraDiscount == .zero { continue }
      rows.append(
        ["\(rows.count)", adjustmentText(step, terms), conditionText(step.condition)])
    }
    var paragraphs = [
      "Discounts apply in this order, each to the price left by the one before."
    ]
    for group in cascade.groups {
      let members = offered.map { cascade.steps[$0] }.filter { $0.group == group.name }
      guard members.count > 1 else { continue }
      let names = members.map(\.name).joined(separator: ", ")
      paragraphs.append(
        group.mode == .exclusive
          ? "Of \(names) only the one giving the lowest price applies."
          : "\(names) add up and apply once.")
    }
    paragraphs.append(roundingText(cascade.rounding))
    if let floor = cascade.guardrails.maximumTotalDiscount {
      paragraphs.append(
        "All discounts together never take more than \(Percent.text(floor)) off the list price.")
    }
    if cascade.guardrails.minimumMargin != nil {
      paragraphs.append(
        "A minimum price floor set by the manufacturer may limit the discount on some products.")
    }
    return Section(heading: "Discounts on the invoice", paragraphs: paragraphs, rows: rows)
  }

  static func adjustmentText(_ step: CascadeStep, _ terms: DealerTerms) -> String {
    switch step.adjustment {
    case .percent(let rate) where rate.isNegative:
      return "\(step.name): \(Percent.text(rate.negated)) surcharge"
    case .percent(let rate): return "\(step.name): \(Percent.text(rate)) off"
    case .amountPerUnit(let amount) where amount < .zero:
      return "\(step.name): \(amount.negated.grouped) surcharge per unit"
    case .amountPerUnit(let amount): return "\(step.name): \(amount.grouped) off each unit"
    case .dealerExtra: return "\(step.name): \(Percent.text(terms.extraDiscount)) off"
    }
  }

  /// The product, quantity and date conditions; the dealer's own conditions are already met.
  static func conditionText(_ condition: StepCondition) -> String {
    var parts: [String] = []
    if let categories = condition.categories {
      parts.append("category " + categories.joined(separator: " or "))
    }
    if let brands = condition.brands { parts.append("brand " + brands.joined(separator: " or ")) }
    if let skus = condition.skus { parts.append("SKU " + skus.joined(separator: ", ")) }
    if let minimum = condition.minimumQuantity {
      parts.append("at least \(minimum) units per line")
    }
    if let maximum = condition.maximumQuantity { parts.append("at most \(maximum) units per line") }
    switch (condition.from, condition.until) {
    case (let from?, let until?): parts.append("orders dated \(from) to \(until)")
    case (let from?, nil): parts.append("orders dated from \(from)")
    case (nil, let until?): parts.append("orders dated until \(until)")
    case (nil, nil): break
    }
    return parts.isEmpty ? "every order" : parts.joined(separator: "; ")
  }

  static func roundingText(_ rounding: PriceRounding) -> String {
    let mode = rounding.mode == .halfUp ? "half up" : "half to even"
    switch rounding.point {
    case .perUnit:
      return "The net unit price is rounded to the cent (\(mode)); the line is unit × quantity."
    case .perLine: return "Each invoice line is rounded to the cent once (\(mode))."
    case .perStep: return "The price is rounded to the cent after every discount (\(mode))."
    }
  }

  static func offInvoice(_ policy: CommercialPolicy) -> [Section] {
    let settings = policy.offInvoice
    var sections: [Section] = []
    if let early = settings.earlyPayment { sections.append(earlyPayment(early)) }
    if let volume = settings.volumeBonus { sections.append(volumeBonus(volume, "Volume bonus")) }
    if let focus = settings.focusProducts {
      sections.append(volumeBonus(focus, "Focus products bonus"))
    }
    if let reporting = settings.reportingBonus { sections.append(reportingBonus(reporting)) }
    if let protection = settings.priceProtection { sections.append(priceProtection(protection)) }
    if let discipline = settings.paymentDiscipline { sections.append(paymentGrade(discipline)) }
    return sections
  }

  static func earlyPayment(_ settings: EarlyPaymentSettings) -> Section {
    let rows =
      [["Paid after the invoice date", "Rebate on the net amount paid"]]
      + settings.steps.map { ["within \($0.maxDaysAfterInvoice) days", Percent.text($0.rate)] }
    return Section(
      heading: "Early payment rebate",
      paragraphs: [
        "Each payment earns the rate of its own date on the net amount it settles; later payments earn nothing. A prepayment earns the top rate. Credited at the close of the period the payment falls in."
      ],
      rows: rows)
  }

  static func volumeBonus(_ settings: VolumeBonusSettings, _ heading: String) -> Section {
    var paragraphs: [String] = []
    var rows: [[String]] = []
    switch settings.scale {
    case .retroactive(let tiers):
      paragraphs.append(
        "The rate of the highest tier reached applies to your whole net turnover of the period.")
      rows =
        [["Net turnover from", "Bonus"]]
        + tiers.map { [$0.fromAmount.grouped, Percent.text($0.rate)] }
    case .incremental(let tiers):
      paragraphs.append("Each slice of your net turnover earns its own tier's rate.")
      rows =
        [["Net turnover from", "Bonus on the slice"]]
        + tiers.map { [$0.fromAmount.grouped, Percent.text($0.rate)] }
    case .planAttainment(let steps):
      paragraphs.append(
        "The rate depends on the share of your target reached and applies to your whole net turnover."
      )
      rows =
        [["Target reached from", "Bonus"]]
        + steps.map { [Percent.text($0.fromAttainment), Percent.text($0.rate)] }
    }
    paragraphs.append(
      "Net turnover: invoices dated in the period less credit notes dated in the period.")
    if let group = settings.productGroup {
      paragraphs.append("Only these products count: \(group.label).")
    }
    if let paid = settings.paidOnly {
      paragraphs.append(
        "Only the part paid within \(paid.cutoffDaysAfterPeriodEnd) days after the period ends counts."
      )
    }
    for condition in settings.conditions {
      switch condition {
      case .growth(let minimum):
        paragraphs.append(
          "Paid only if turnover is at least \(Percent.text(minimum)) above the same period last year."
        )
      case .minimumOrders(let count):
        paragraphs.append("Paid only with at least \(count) orders in the period.")
      }
    }
    return Section(heading: heading, paragraphs: paragraphs, rows: rows)
  }

  static func reportingBonus(_ settings: ReportingBonusSettings) -> Section {
    let payout =
      settings.payout == .allOrNothing
      ? "Paid only when every month's report is on time."
      : "Paid in proportion to the months reported on time."
    return Section(
      heading: "Sell-out reporting bonus",
      paragraphs: [
        "Send each month's sell-out report by day \(settings.dueDayOfNextMonth) of the next month to earn \(Percent.text(settings.rate)) of the period's net turnover.",
        payout,
      ],
      rows: [])
  }

  static func priceProtection(_ settings: PriceProtectionSettings) -> Section {
    var paragraphs = [
      "When a list price drops, we refund the difference in your net price on units still in your stock that were shipped within \(settings.windowDays) days before the change."
    ]
    if settings.coverage == .requireSellOutCoverage {
      paragraphs.append("Your sell-out reports must cover every day up to the change.")
    }
    return Section(heading: "Price protection", paragraphs: paragraphs, rows: [])
  }

  static func paymentGrade(_ settings: PaymentDisciplineSettings) -> Section {
    var rows = [["Grade", "When"]]
    for rule in settings.rules {
      var when = "at least \(Percent.text(rule.minPaidByDueShare)) paid by the due date"
      if let days = rule.maxWeightedDaysLate {
        when += " and at most \(days.normalized) days late on average"
      }
      rows.append([rule.grade, when])
    }
    rows.append([settings.fallbackGrade, "otherwise"])
    return Section(
      heading: "Payment discipline grade",
      paragraphs: [
        "Set at each close from the period's payments; it decides eligibility in the next period."
      ],
      rows: rows)
  }
}

extension TermsSheet {
  public var plainText: String {
    var lines = [title, String(repeating: "=", count: title.count)]
    for section in sections {
      lines += ["", section.heading, String(repeating: "-", count: section.heading.count)]
      lines += section.paragraphs
      lines += Self.columns(section.rows)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func columns(_ rows: [[String]]) -> [String] {
    guard let header = rows.first else { return [] }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
      }.joined(separator: "  ")
    }
  }

  /// A self-contained page (inline style, no scripts or external resources) to attach to an email.
  public var html: String {
    var body = "<h1>\(HTMLText.escaped(title))</h1>\n"
    for section in sections {
      body += "<h2>\(HTMLText.escaped(section.heading))</h2>\n"
      for paragraph in section.paragraphs { body += "<p>\(HTMLText.escaped(paragraph))</p>\n" }
      if let header = section.rows.first {
        body +=
          "<table>\n<tr>" + header.map { "<th>\(HTMLText.escaped($0))</th>" }.joined() + "</tr>\n"
        for row in section.rows.dropFirst() {
          body += "<tr>" + row.map { "<td>\(HTMLText.escaped($0))</td>" }.joined() + "</tr>\n"
        }
        body += "</table>\n"
      }
    }
    return HTMLText.document(title: title, style: Self.style, body: body)
  }

  /// A screen page with ruled tables.
  static let style = """
    body { font-family: sans-serif; max-width: 48em; margin: 2em auto; color: #222; }
    table { border-collapse: collapse; margin: 0.5em 0 1em; }
    th, td { border: 1px solid #bbb; padding: 0.3em 0.7em; text-align: left; }
    th { background: #eee; }
    """
}
