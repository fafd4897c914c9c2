import Mechanics
import RebateCore
import SellOut

/// Who a dealer is for the close: its segment (program cost), its volume target (plan
/// attainment), and what the policy's eligibility conditions look at: the payment grade its
/// previous period's close gave it (E11), its RFM segment stored for the previous period, and its
/// sell-out completeness in the period.
public struct DealerProfile: Sendable, Hashable {
  public let dealer: String
  /// Master-data segment (`retail`, `b2b`), by which program cost is reported; not the RFM one.
  public let segment: String
  public let target: Money?
  /// Grade from the previous period's close and that period; nil when it has none yet.
  public let priorGrade: String?
  public let priorGradePeriod: Period?
  /// RFM segment (`RFMSegment` name) stored for the previous period and that period; nil when
  /// the stored segmentation does not list the dealer (or nothing was read).
  public let priorSegment: String?
  public let priorSegmentPeriod: Period?
  /// Average completeness of the period's monthly sell-out reports (`SellOutCompleteness`);
  /// nil when not measured, which a completeness condition reads as no reports: 0 %.
  public let sellOutCompleteness: ExactDecimal?

  public init(
    dealer: String, segment: String, target: Money? = nil, priorGrade: String? = nil,
    priorGradePeriod: Period? = nil, priorSegment: String? = nil,
    priorSegmentPeriod: Period? = nil, sellOutCompleteness: ExactDecimal? = nil
  ) {
    self.dealer = dealer
    self.segment = segment
    self.target = target
    self.priorGrade = priorGrade
    self.priorGradePeriod = priorGradePeriod
    self.priorSegment = priorSegment
    self.priorSegmentPeriod = priorSegmentPeriod
    self.sellOutCompleteness = sellOutCompleteness
  }

  /// The same profile with the period's measured completeness, every other field kept.
  public func measured(sellOutCompleteness: ExactDecimal?) -> DealerProfile {
    DealerProfile(
      dealer: dealer, segment: segment, target: target, priorGrade: priorGrade,
      priorGradePeriod: priorGradePeriod, priorSegment: priorSegment,
      priorSegmentPeriod: priorSegmentPeriod, sellOutCompleteness: sellOutCompleteness)
  }
}

/// A list price drop with this dealer's new net unit price at its effective date, priced by the
/// caller through the dealer's cascade (E8).
public struct PriceDrop: Sendable, Hashable {
  public let change: PriceChange
  public let newNetUnitPrice: ExactDecimal

  public init(change: PriceChange, newNetUnitPrice: ExactDecimal) {
    self.change = change
    self.newNetUnitPrice = newNetUnitPrice
  }
}

/// What the dealer reported selling, for the reporting bonus (E7) and channel inventory (E8).
public struct SellOutData: Sendable {
  public let history: SubmissionHistory
  public let sales: [SoldOut]
  /// The last day the dealer's reports cover without a gap; nil without reports.
  public let coveredThrough: Day?

  public init(history: SubmissionHistory, sales: [SoldOut], coveredThrough: Day?) {
    self.history = history
    self.sales = sales
    self.coveredThrough = coveredThrough
  }
}

/// Everything one dealer's close is computed from. Invoices include those still open from earlier
/// periods (payments settle the oldest first) and, when a growth condition applies, those of the
/// same period last year; payments include those up to the paid-only cut-off.
public struct DealerDocuments: Sendable {
  public let profile: DealerProfile
  public let invoices: [Invoice]
  public let creditNotes: [CreditNote]
  public let payments: [Payment]
  public let sellOut: SellOutData?
  public let priceDrops: [PriceDrop]

  public init(
    profile: DealerProfile, invoices: [Invoice], creditNotes: [CreditNote] = [],
    payments: [Payment] = [], sellOut: SellOutData? = nil, priceDrops: [PriceDrop] = []
  ) {
    // Sorted here so no mechanic's output (sources, explanations) depends on the order the
    // documents were read in.
    self.profile = profile
    self.invoices = invoices.sorted { ($0.day, $0.number) < ($1.day, $1.number) }
    self.creditNotes = creditNotes.sorted { ($0.day, $0.number) < ($1.day, $1.number) }
    self.payments = payments.sorted { ($0.day, $0.id) < ($1.day, $1.id) }
    self.sellOut = sellOut
    self.priceDrops = priceDrops
  }

  public var dealer: String { profile.dealer }

  /// Every document must be this dealer's: a stray one would silently move money between dealers.
  func checkOwnership() throws(CloseError) {
    for invoice in invoices where invoice.dealer != dealer {
      throw .foreignDocument(dealer: dealer, document: "invoice \(invoice.number)")
    }
    for note in creditNotes where note.dealer != dealer {
      throw .foreignDocument(dealer: dealer, document: "credit note \(note.number)")
    }
    for payment in payments where payment.dealer != dealer {
      throw .foreignDocument(dealer: dealer, document: "payment \(payment.id)")
    }
  }

  /// Net invoiced in `period` less net credited in it: the denominator of program cost (E12)
  /// and the basis of the reporting bonus (E7).
  func netTurnover(in period: Period) throws(CoreError) -> Money {
    var total = Money.zero
    for invoice in invoices where period.contains(invoice.day) {
      total = try total.adding(invoice.netAmount())
    }
    for note in creditNotes where period.contains(note.day) {
      total = try total.subtracting(note.netAmount())
    }
    return total
  }
}

/// A closed period whose result may be changed by data that arrived after it closed (E10): its
/// closed lines for this dealer and the dealer's documents of that period as they are now.
public struct LateDataCheck: Sendable {
  public let closedPeriod: Period
  public let closedLines: [ResultLine]
  public let documents: DealerDocuments
  /// The policy the closed period was computed under; nil: the policy of the period carrying the
  /// adjustment. A policy changed since must not show up as late data.
  public let settings: CloseSettings?

  public init(
    closedPeriod: Period, closedLines: [ResultLine], documents: DealerDocuments,
    settings: CloseSettings? = nil
  ) {
    self.closedPeriod = closedPeriod
    self.closedLines = closedLines
    self.documents = documents
    self.settings = settings
  }
}
