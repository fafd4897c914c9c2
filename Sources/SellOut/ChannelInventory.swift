import RebateCore

/// Goods shipped to a dealer on one invoice line: the start of an inventory layer.
public struct Shipment: Sendable, Hashable {
  public let day: Day
  public let document: String
  public let sku: String
  public let quantity: Int64
  /// Net unit price the dealer paid, after the on-invoice cascade.
  public let netUnitPrice: ExactDecimal

  public init(day: Day, document: String, sku: String, quantity: Int64, netUnitPrice: ExactDecimal)
  {
    precondition(quantity > 0, "a shipment ships units")
    self.day = day
    self.document = document
    self.sku = sku
    self.quantity = quantity
    self.netUnitPrice = netUnitPrice
  }
}

/// Units the dealer sent back and the manufacturer credited.
public struct CreditedReturn: Sendable, Hashable {
  public let day: Day
  public let document: String
  public let sku: String
  public let quantity: Int64
  /// The invoice the credit note refers to, when it names one.
  public let shipmentDocument: String?

  public init(
    day: Day, document: String, sku: String, quantity: Int64, shipmentDocument: String? = nil
  ) {
    precondition(quantity > 0, "a return returns units")
    self.day = day
    self.document = document
    self.sku = sku
    self.quantity = quantity
    self.shipmentDocument = shipmentDocument
  }
}

/// Units the dealer reported sold to its customers on one day (negative: customer returns).
public struct SoldOut: Sendable, Hashable {
  public let day: Day
  public let sku: String
  public let quantity: Int64

  public init(day: Day, sku: String, quantity: Int64) {
    self.day = day
    self.sku = sku
    self.quantity = quantity
  }
}

/// What is left of one shipment in the dealer's stock.
public struct InventoryLayer: Sendable, Hashable {
  public let shippedOn: Day
  public let document: String
  public let netUnitPrice: ExactDecimal
  public let shipped: Int64
  public internal(set) var returned: Int64 = 0
  public internal(set) var sold: Int64 = 0

  public var remaining: Int64 { shipped - returned - sold }
}

/// One SKU's stock at a dealer at the start of a day.
public struct SKUInventory: Sendable, Hashable {
  public let sku: String
  /// Oldest first; layers emptied by sales or returns stay, with nothing remaining.
  public internal(set) var layers: [InventoryLayer]
  /// Units the dealer reported sold beyond everything shipped to it: a sell-in/sell-out gap.
  public internal(set) var soldNeverShipped: Int64 = 0
  /// Units credited beyond what was left to return (data to investigate, never negative stock).
  public internal(set) var returnedNeverHeld: Int64 = 0

  public var remaining: Int64 { layers.reduce(0) { $0 + $1.remaining } }
  public var remainingLayers: [InventoryLayer] { layers.filter { $0.remaining > 0 } }
}

/// Channel inventory: shipped − credited returns − sold out, with sales taking the oldest
/// shipments first (FIFO), so what remains are the newest layers.
public enum ChannelInventory {
  /// Stock at the start of `day`: events dated before it count, events on it do not, so a
  /// price change effective on `day` sees the stock the dealer held when it took effect.
  public static func at(
    _ day: Day, shipments: [Shipment], returns: [CreditedReturn], sales: [SoldOut]
  ) -> [String: SKUInventory] {
    var stock: [String: SKUInventory] = [:]
    for shipment in shipments.filter({ $0.day < day }).sorted(by: shippedFirst) {
      let layer = InventoryLayer(
        shippedOn: shipment.day, document: shipment.document,
        netUnitPrice: shipment.netUnitPrice, shipped: shipment.quantity)
      stock[shipment.sku, default: SKUInventory(sku: shipment.sku, layers: [])].layers.append(layer)
    }
    // Returns and sales are applied in day order; on the same day returns go first, because a
    // credit note settles goods that left the dealer before its customers bought the rest.
    let events =
      returns.filter { $0.day < day }.map { Event.returned($0) }
      + sales.filter { $0.day < day }.map { Event.sold($0) }
    for event in events.sorted(by: { $0.order < $1.order }) {
      let empty = SKUInventory(sku: event.sku, layers: [])
      switch event {
      case .returned(let credit): stock[event.sku, default: empty].apply(credit)
      case .sold(let sale): stock[event.sku, default: empty].apply(sale)
      }
    }
    return stock
  }

  private static func shippedFirst(_ lhs: Shipment, _ rhs: Shipment) -> Bool {
    (lhs.day, lhs.document) < (rhs.day, rhs.document)
  }

  private enum Event {
    case returned(CreditedReturn)
    case sold(SoldOut)

    var sku: String {
      switch self {
      case .returned(let credit): return credit.sku
      case .sold(let sale): return sale.sku
      }
    }

    var order: (Int32, Int) {
      switch self {
      case .returned(let credit): return (credit.day.daysSinceEpoch, 0)
      case .sold(let sale): return (sale.day.daysSinceEpoch, 1)
      }
    }
  }
}

extension SKUInventory {
  /// A credit note takes units from the invoice it names, else from the newest layers: the
  /// newest units are the protected ones, so crediting them first never inflates protection.
  mutating func apply(_ credit: CreditedReturn) {
    var left = credit.quantity
    let newestFirst = Array(layers.indices.reversed())
    let named = newestFirst.filter { layers[$0].document == credit.shipmentDocument }
    for index in named + newestFirst where left > 0 {
      let taken = min(left, layers[index].remaining)
      layers[index].returned += taken
      left -= taken
    }
    returnedNeverHeld += left
  }

  /// Sales consume the oldest layers first; customer returns (negative) undo the most recent
  /// consumption, putting units back where FIFO last took them from.
  mutating func apply(_ sale: SoldOut) {
    if sale.quantity >= 0 {
      var left = sale.quantity
      for index in layers.indices where left > 0 {
        let taken = min(left, layers[index].remaining)
        layers[index].sold += taken
        left -= taken
      }
      soldNeverShipped += left
    } else {
      var left = -sale.quantity
      let fromGap = min(left, soldNeverShipped)
      soldNeverShipped -= fromGap
      left -= fromGap
      for index in layers.indices.reversed() where left > 0 {
        let restored = min(left, layers[index].sold)
        layers[index].sold -= restored
        left -= restored
      }
    }
  }
}
