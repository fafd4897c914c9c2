import RebateCore

/// One invoice line with the figures the waterfall starts from.
public struct WaterfallLine: Sendable, Hashable {
  public let dealer: String
  public let document: String
  public let line: Int
  public let sku: String
  public let quantity: Int64
  public let listUnitPrice: Money
  public let netAmount: Money
  public let unitCost: Money

  public init(
    dealer: String, document: String, line: Int, sku: String, quantity: Int64,
    listUnitPrice: Money, netAmount: Money, unitCost: Money
  ) {
    self.dealer = dealer
    self.document = document
    self.line = line
    self.sku = sku
    self.quantity = quantity
    self.listUnitPrice = listUnitPrice
    self.netAmount = netAmount
    self.unitCost = unitCost
  }
}

/// The off-invoice steps after the invoice, in the order the waterfall shows them.
public enum WaterfallStep: String, Sendable, Hashable, CaseIterable {
  case earlyPayment = "early-payment rebate"
  case bonuses = "volume and other bonuses"
  case priceProtection = "price protection"

  /// Early payment and price protection by their mechanic names; every other off-invoice
  /// mechanic (volume, focus, reporting, adjustments) is a bonus.
  public init(mechanic: String) {
    switch mechanic {
    case "early_payment": self = .earlyPayment
    case "price_protection": self = .priceProtection
    default: self = .bonuses
    }
  }
}

/// A line's waterfall: list → invoice → each off-invoice step → pocket price, and the pocket
/// margin over cost. Amounts are line totals (quantity × unit).
public struct WaterfallRow: Sendable, Hashable {
  public let line: WaterfallLine
  public let listAmount: Money
  public let onInvoiceDiscount: Money
  /// Allocated off-invoice amounts per step, in `WaterfallStep.allCases` order.
  public let steps: [Money]
  public let pocketAmount: Money
  public let costAmount: Money
  public let pocketMargin: Money
  /// Pocket margin over cost (the same markup as the pricing floor, E3); nil for zero cost.
  public let marginOverCost: ExactDecimal?
  public let belowFloor: Bool
}

public enum WaterfallError: Error, Equatable, CustomStringConvertible {
  case tooManyLines(Int)
  case invalidLine(String, reason: String)

  public var code: String {
    switch self {
    case .tooManyLines: return "E-WATERFALL-LIMIT"
    case .invalidLine: return "E-WATERFALL-INPUT"
    }
  }

  public var description: String {
    switch self {
    case .tooManyLines(let count):
      return "\(code): waterfall of \(count) lines exceeds \(Waterfall.maxLines)"
    case .invalidLine(let place, let reason): return "\(code): \(place): \(reason)"
    }
  }
}

public enum Waterfall {
  public static let maxLines = 2_000_000

  /// Each dealer's off-invoice results per mechanic are spread over that dealer's lines in
  /// proportion to their net amounts, by largest remainder (E9), so a step's parts sum exactly
  /// to the result. A result of a dealer with no line (price protection on older shipments) is
  /// returned as unallocated rather than dropped. `minimumMargin` is the policy's floor
  /// (pocket ≥ cost × (1 + floor)).
  public static func rows(
    lines: [WaterfallLine], offInvoice: [ResultLine], minimumMargin: ExactDecimal?
  ) throws -> (rows: [WaterfallRow], unallocated: [ResultLine]) {
    guard lines.count <= maxLines else { throw WaterfallError.tooManyLines(lines.count) }
    let byDealer = Dictionary(grouping: lines.indices) { lines[$0].dealer }
    let stepCount = WaterfallStep.allCases.count
    var steps = Array(repeating: Array(repeating: Money.zero, count: stepCount), count: lines.count)
    var unallocated: [ResultLine] = []
    for result in offInvoice {
      guard let indices = byDealer[result.dealer] else {
        unallocated.append(result)
        continue
      }
      let parts = try allocate(result.amount, overBases: indices.map { lines[$0].netAmount })
      let step = WaterfallStep.allCases.firstIndex(of: WaterfallStep(mechanic: result.mechanic))!
      for (index, part) in zip(indices, parts) {
        steps[index][step] = try steps[index][step].adding(part)
      }
    }
    let rows = try lines.indices.map {
      try row(lines[$0], steps: steps[$0], minimumMargin: minimumMargin)
    }
    return (rows, unallocated)
  }

  static func row(_ line: WaterfallLine, steps: [Money], minimumMargin: ExactDecimal?) throws
    -> WaterfallRow
  {
    let place = "\(line.document) line \(line.line)"
    guard line.quantity > 0 else {
      throw WaterfallError.invalidLine(place, reason: "quantity is not positive")
    }
    let quantity = ExactDecimal(Int(line.quantity))
    let list = try line.listUnitPrice.multiplied(by: quantity, .halfUp)
    let cost = try line.unitCost.multiplied(by: quantity, .halfUp)
    let pocket = try line.netAmount.subtracting(try Money.sum(steps))
    let margin = try pocket.subtracting(cost)
    let share = cost == .zero ? nil : try margin.exact.divided(by: cost.exact, scale: 6, .halfUp)
    let floor = try minimumMargin.map {
      try cost.multiplied(by: try ExactDecimal.one.adding($0), .halfUp)
    }
    return WaterfallRow(
      line: line, listAmount: list, onInvoiceDiscount: try list.subtracting(line.netAmount),
      steps: steps, pocketAmount: pocket, costAmount: cost, pocketMargin: margin,
      marginOverCost: share, belowFloor: floor.map { pocket < $0 } ?? false)
  }
}
