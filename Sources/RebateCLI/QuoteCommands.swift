import Foundation
import Policy
import PolicyFormat
import Pricing
import RebateCore
import RebateStore

extension CLI {
  static let quoteCommand = Command(
    ["quote"],
    usage: "rebate quote --dealer D --sku S --qty N [--date YYYY-MM-DD] [--json] [--database URL]",
    summary: "net price of a line under the dealer's terms, with every step and guardrail",
    switches: ["json"]
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let sku = try arguments.requiredIdentifier("sku")
    guard let quantityText = try arguments.option("qty") else {
      throw CLIError.usage("--qty is required")
    }
    // Only the syntax is the command line's to refuse; the range is the store's rule, so a
    // quantity out of it gets the store's own code and exit status 1 (E-QUOTE-QUANTITY).
    guard let quantity = Int(quantityText) else {
      throw CLIError.usage("--qty must be a whole number in 1...\(LineQuoteStore.maxQuantity)")
    }
    let day = try dayOption(&arguments, "date") ?? today(context)
    let json = arguments.flag("json")
    try arguments.finish()
    return try withTermsStore(url, context) { store in
      let line = try LineQuoteStore.quote(
        dealer: dealer, sku: sku, quantity: quantity, on: day, connection: store.connection)
      context.console.write(json ? try QuoteText.json(line) : QuoteText.text(line))
      return 0
    }
  }
}

/// A quote as a person reads it and as a program reads it; both from the same `Quote`.
enum QuoteText {
  static let labelWidth = 42
  static let valueWidth = 16

  static func text(_ line: LineQuote) -> String {
    let quote = line.quote
    let terms = line.terms
    var out = "Quote for \(line.dealer): \(line.sku) x \(quote.quantity) on \(line.day)\n"
    out +=
      "Terms v\(terms.version) (tier \(terms.tier), extra discount "
      + "\(Percent.text(terms.extraDiscount))) under \(line.policy.reference)\n"
    out += row("List price", quote.listPrice.grouped)
    for step in quote.steps {
      let change = applied(step.applied)
      let padded = String(repeating: " ", count: max(0, 9 - change.count)) + change
      out += row("  " + padded + "  " + step.label, price(step.priceAfter))
    }
    let guardrails = line.policy.cascade.guardrails
    if let floor = quote.discountFloor, let maximum = guardrails.maximumTotalDiscount {
      out += row("  Floor: at most \(Percent.text(maximum)) off list", floor.grouped)
    }
    if let floor = quote.marginFloor, let margin = guardrails.minimumMargin {
      out += row("  Floor: cost plus \(Percent.text(margin)) margin", floor.grouped)
    }
    out += row("Net unit price", quote.netUnit.grouped)
    out += row("Line total (\(quote.quantity) units)", quote.lineTotal.grouped)
    out += row("Effective discount", quote.effectiveDiscount.percentText(decimals: 2) + " %")
    out += "Guardrail: " + guardrailText(quote) + "\n"
    return out
  }

  static func guardrailText(_ quote: Quote) -> String {
    let cascade = price(quote.exactUnit)
    switch quote.guardrail {
    case .none: return "none bound the price"
    case .maximumTotalDiscount:
      return "the maximum total discount bound the price (the cascade gave \(cascade))"
    case .minimumMargin:
      return "the minimum margin bound the price (the cascade gave \(cascade))"
    case .zeroPrice:
      return "amounts per unit would go below zero; the price stops at 0.00"
    }
  }

  static func row(_ label: String, _ value: String) -> String {
    let padded =
      label.count >= labelWidth
      ? label + " "
      : label.padding(
        toLength: labelWidth, withPad: " ", startingAt: 0)
    return padded + String(repeating: " ", count: max(0, valueWidth - value.count)) + value + "\n"
  }

  /// `-20.00 %` for a discount, `+3.00 %` for a surcharge, `-150.00 per unit` for an amount.
  static func applied(_ applied: QuoteStep.Applied) -> String {
    switch applied {
    case .percent(let rate):
      let text = rate.percentText(decimals: 2)
      return rate.isNegative ? "+" + text.dropFirst() + " %" : "-" + text + " %"
    case .amountPerUnit(let amount):
      return amount.minor < 0
        ? "+" + amount.negated.grouped + " per unit" : "-" + amount.grouped + " per unit"
    }
  }

  /// A price after a step: cents when exact to the cent, every decimal otherwise (E2 per-line
  /// rounding keeps 9.762675 until the line is rounded).
  static func price(_ value: ExactDecimal, grouped: Bool = true) -> String {
    let normalized = value.normalized
    if normalized.scale <= 2, let money = try? Money(exact: normalized) {
      return grouped ? money.grouped : money.description
    }
    let parts = normalized.description.split(separator: ".", maxSplits: 1)
    guard grouped, let whole = Int64(parts[0]), whole >= 0 else { return normalized.description }
    return Money(minor: whole * 100).grouped.dropLast(3) + "." + parts[1]
  }

  static func json(_ line: LineQuote) throws -> String {
    let quote = line.quote
    var object: [String: Any] = [
      "dealer": line.dealer, "sku": line.sku, "quantity": quote.quantity,
      "date": line.day.description, "policy": line.policy.reference,
      "terms_version": line.terms.version, "tier": line.terms.tier,
      "extra_discount_percent": line.terms.extraDiscount.percentText(decimals: 2),
      "list_price": quote.listPrice.description,
      "exact_unit_price": price(quote.exactUnit, grouped: false),
      "net_unit_price": quote.netUnit.description, "line_total": quote.lineTotal.description,
      "effective_discount_percent": quote.effectiveDiscount.percentText(decimals: 2),
      "guardrail": quote.guardrail.rawValue,
      "steps": quote.steps.map { step -> [String: Any] in
        [
          "label": step.label, "applied": applied(step.applied),
          "price_after": price(step.priceAfter, grouped: false),
        ]
      },
    ]
    if let floor = quote.discountFloor { object["discount_floor"] = floor.description }
    if let floor = quote.marginFloor { object["margin_floor"] = floor.description }
    // Sorted keys and strings for amounts: byte-stable output, exact figures.
    let data = try JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
