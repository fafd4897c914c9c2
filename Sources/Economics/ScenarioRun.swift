import Close
import Mechanics
import Policy
import Pricing
import RebateCore
import SellOut

/// What a scenario computed: its quotes (E1–E3) and its period close (E4–E12), with every
/// expectation checked against the figures.
public struct ScenarioOutcome: Sendable {
  public let scenario: Scenario
  public let quotes: [(name: String, quote: Quote)]
  public let results: [DealerResult]
  public let summary: PeriodSummary
  public let checks: [ScenarioCheck]

  public var passed: Bool { checks.allSatisfy(\.passed) }
}

/// One expectation and the figure actually computed (nil: the scenario has no such figure).
public struct ScenarioCheck: Sendable, Hashable {
  public let expectation: ScenarioExpectation
  public let actual: String?

  public var passed: Bool { actual == expectation.value }
}

public enum ScenarioRun {
  /// Quotes every `[[quote]]` and closes the scenario's period in memory.
  public static func run(_ scenario: Scenario) throws -> ScenarioOutcome {
    let engine = try PriceEngine(scenario.policy.cascade)
    let quotes = try scenario.quotes.map { line in
      (name: line.name, quote: try quote(line, scenario, engine))
    }
    let settings = CloseSettings(policy: scenario.policy)
    let documents = try scenario.dealers.map { try dealerDocuments($0, scenario, engine) }
    let (results, summary) = try closePeriod(
      documents, period: scenario.period, settings: settings,
      lateData: try lateData(documents, scenario, settings))
    let allocations = try scenario.allocations.map {
      (name: $0.name, parts: try allocate($0.amount, overBases: $0.bases))
    }
    let figures = Figures(
      quotes: quotes, allocations: allocations, results: results, summary: summary)
    let checks = scenario.expectations.map {
      ScenarioCheck(expectation: $0, actual: figures.value($0.subject, $0.figure))
    }
    return ScenarioOutcome(
      scenario: scenario, quotes: quotes, results: results, summary: summary, checks: checks)
  }

  /// E10: the previous period as it was closed (documents recorded by `previousClosedOn`)
  /// against the same period with everything known now.
  static func lateData(
    _ documents: [DealerDocuments], _ scenario: Scenario, _ settings: CloseSettings
  ) throws -> [String: [LateDataCheck]] {
    guard let closedOn = scenario.previousClosedOn else { return [:] }
    let previous = scenario.period.previous
    var checks: [String: [LateDataCheck]] = [:]
    for now in documents {
      let then = DealerDocuments(
        profile: now.profile,
        invoices: now.invoices.filter { scenario.known($0.number, dated: $0.day, on: closedOn) },
        creditNotes: now.creditNotes.filter {
          scenario.known($0.number, dated: $0.day, on: closedOn)
        },
        payments: now.payments.filter { scenario.known($0.id, dated: $0.day, on: closedOn) },
        sellOut: now.sellOut, priceDrops: now.priceDrops)
      let closed = try closeDealer(then, period: previous, settings: settings)
      checks[now.dealer] = [
        LateDataCheck(closedPeriod: previous, closedLines: closed.lines, documents: now)
      ]
    }
    return checks
  }

  static func dealer(_ id: String, _ scenario: Scenario) throws -> ScenarioDealer {
    guard let dealer = scenario.dealers.first(where: { $0.id == id }) else {
      throw ScenarioError.unknown("dealer", id, scenario: scenario.name)
    }
    return dealer
  }

  static func quote(_ line: ScenarioQuote, _ scenario: Scenario, _ engine: PriceEngine) throws
    -> Quote
  {
    guard let product = scenario.products[line.sku] else {
      throw ScenarioError.unknown("product", line.sku, scenario: scenario.name)
    }
    return try engine.quote(
      dealer: try dealer(line.dealer, scenario).pricing, product: product,
      quantity: line.quantity, on: line.day)
  }

  /// One dealer's documents, its price drops priced through its own cascade (E8).
  static func dealerDocuments(_ dealer: ScenarioDealer, _ scenario: Scenario, _ engine: PriceEngine)
    throws -> DealerDocuments
  {
    var drops: [PriceDrop] = []
    if scenario.policy.offInvoice.priceProtection != nil {
      for change in scenario.priceChanges {
        guard var product = scenario.products[change.sku] else {
          throw ScenarioError.unknown("product", change.sku, scenario: scenario.name)
        }
        product.listPrice = change.newListPrice
        let newNet = try engine.quote(
          dealer: dealer.pricing, product: product, quantity: 1, on: change.effective
        ).netUnit.exact
        drops.append(PriceDrop(change: change, newNetUnitPrice: newNet))
      }
    }
    let profile = DealerProfile(
      dealer: dealer.id, segment: dealer.segment, priorGrade: dealer.priorGrade,
      priorGradePeriod: dealer.priorGrade == nil ? nil : scenario.period.previous,
      priorSegment: dealer.priorSegment, priorSegmentPeriod: scenario.period.previous)
    return DealerDocuments(
      profile: profile, invoices: scenario.invoices.filter { $0.dealer == dealer.id },
      creditNotes: scenario.creditNotes.filter { $0.dealer == dealer.id },
      payments: scenario.payments.filter { $0.dealer == dealer.id },
      sellOut: scenario.sellOut[dealer.id], priceDrops: drops)
  }
}

/// The figures an expectation can name, as the text it compares (amounts `1234.50`, shares
/// and discounts as percentages with two decimals `31.60`).
struct Figures {
  let quotes: [(name: String, quote: Quote)]
  let allocations: [(name: String, parts: [Money])]
  let results: [DealerResult]
  let summary: PeriodSummary

  func value(_ subject: String, _ figure: String) -> String? {
    if let quote = quotes.first(where: { $0.name == subject })?.quote {
      return quoteValue(quote, figure)
    }
    if let parts = allocations.first(where: { $0.name == subject })?.parts, figure == "parts" {
      return parts.map(\.description).joined(separator: ", ")
    }
    if subject == "total" {
      return figure == "program_cost_share"
        ? summary.cost.total.share?.percentText(decimals: 2)
        : figure == "program_cost"
          ? summary.cost.total.rebates.description
          : summary.totalsByMechanic.first { $0.mechanic == figure }?.amount.description
    }
    guard let result = results.first(where: { $0.dealer == subject }) else { return nil }
    switch figure {
    case "grade": return result.discipline?.grade
    case "net_turnover": return result.netTurnover.description
    case "program_cost_share":
      return summary.cost.byDealer.first { $0.key == subject }?.share?.percentText(decimals: 2)
    case "within_cap":
      return summary.cost.byDealer.first { $0.key == subject }.map { String($0.withinCap) }
    case _ where figure.hasPrefix("formula:"):
      let lines = result.lines.filter { "formula:" + $0.mechanic == figure }
      return lines.count == 1 ? lines[0].explanation.formula : nil
    default:
      let lines = result.lines.filter { $0.mechanic == figure }
      return lines.isEmpty ? nil : (try? Money.sum(lines.map(\.amount)))?.description
    }
  }

  private func quoteValue(_ quote: Quote, _ figure: String) -> String? {
    switch figure {
    case "net_unit": return quote.netUnit.description
    case "line": return quote.lineTotal.description
    case "effective_discount": return quote.effectiveDiscount.percentText(decimals: 2)
    case "bound": return quote.guardrail.rawValue
    case "trace":
      return quote.steps.map { (try? Money(rounding: $0.priceAfter, .halfUp))?.description ?? "?" }
        .joined(separator: " → ")
    default: return nil
    }
  }
}
