import Close
import Mechanics
import Pricing
import RebateCore

/// What every dealer's close in a period reads besides its own documents, prefetched before the
/// documents stream: master-data segments, the previous period's grades, stored segments and
/// closed lines (late data, E10), and the sell-out side. A value, so dealers can be computed on
/// worker threads while the stream goes on reading.
struct CloseInputs: Sendable {
  let period: Period
  let settings: CloseSettings
  let cutoffDays: Int
  /// The previous period when it is closed (late data for it becomes an adjustment now), and
  /// the policy it was closed under, which its recompute applies.
  let closedPrevious: Period?
  let closedSettings: CloseSettings?
  let closedLines: [String: [ResultLine]]
  let segments: [String: String]
  let prior: Eligibility
  /// What the recompute of the closed previous period applies: ITS eligibility, the grades and
  /// stored segments of the period before it.
  let older: Eligibility
  let sellOut: SellOutInputs

  /// A period's payment grades and stored segments as eligibility reads them.
  struct Eligibility: Sendable {
    var grades: [String: String] = [:]
    var gradePeriod: Period?
    var segments: [String: String] = [:]
    var segmentPeriod: Period?

    func profile(_ dealer: String, segment: String) -> Close.DealerProfile {
      Close.DealerProfile(
        dealer: dealer, segment: segment, priorGrade: grades[dealer], priorGradePeriod: gradePeriod,
        priorSegment: segments[dealer], priorSegmentPeriod: segmentPeriod)
    }
  }

  init(
    _ store: CloseStore, period: Period, settings: CloseSettings,
    newNetUnitPrice: ((String, ProductInfo, Day) throws -> ExactDecimal)?
  ) throws {
    self.period = period
    self.settings = settings
    cutoffDays = CloseStore.window(period, settings: settings).cutoffDays
    let previous = period.previous
    let previousClosed = try store.readerStore.period(previous)?.status == .closed
    closedPrevious = previousClosed ? previous : nil
    closedSettings = previousClosed ? try store.storedSettings(previous) : nil
    closedLines = previousClosed ? try store.linesByDealer(previous) : [:]
    let older = previous.previous
    let olderClosed = try previousClosed && store.readerStore.period(older)?.status == .closed
    // Segments are stored whether or not their period is closed (`rebate segments --store`), so
    // the previous period's are read always, the older ones only when late data recomputes.
    let needsSegments = settings.needsPriorSegments
    prior = Eligibility(
      grades: previousClosed ? try store.grades(previous) : [:],
      gradePeriod: previousClosed ? previous : nil,
      segments: needsSegments ? try store.storedSegments(previous, computing: period) : [:],
      segmentPeriod: needsSegments ? previous : nil)
    let olderNeedsSegments = closedSettings?.needsPriorSegments ?? false
    self.older = Eligibility(
      grades: olderClosed ? try store.grades(older) : [:], gradePeriod: olderClosed ? older : nil,
      segments: olderNeedsSegments ? try store.storedSegments(older, computing: previous) : [:],
      segmentPeriod: olderNeedsSegments ? older : nil)
    segments = try store.readerStore.dealersByCode().mapValues(\.segment)
    let both = [settings] + (closedSettings.map { [$0] } ?? [])
    sellOut = try SellOutInputs(
      store: SellOutStore(connection: store.reader), period: period,
      previous: closedPrevious, measureCompleteness: both.contains { $0.needsSellOutCompleteness },
      newNetUnitPrice: both.contains { $0.offInvoice.priceProtection != nil }
        ? newNetUnitPrice : nil)
  }

  /// One dealer's result for the period, with adjustments for late data of the closed previous
  /// period. Pure: reads only this value and the batch.
  func close(_ batch: DealerBatch) throws -> DealerResult {
    let segment = segments[batch.dealer] ?? "unknown"
    var late: [LateDataCheck] = []
    if let previous = closedPrevious, let closedSettings {
      let cutoffDays = CloseStore.window(previous, settings: closedSettings).cutoffDays
      late = [
        LateDataCheck(
          closedPeriod: previous, closedLines: closedLines[batch.dealer] ?? [],
          documents: sellOut.documents(
            batch.upTo(
              previous.lastDay, paymentsThrough: previous.lastDay.adding(days: cutoffDays)),
            profile: older.profile(batch.dealer, segment: segment), period: previous),
          settings: closedSettings)
      ]
    }
    let current = batch.upTo(
      period.lastDay, paymentsThrough: period.lastDay.adding(days: cutoffDays))
    return try closeDealer(
      sellOut.documents(
        current, profile: prior.profile(batch.dealer, segment: segment), period: period),
      period: period, settings: settings, lateData: late)
  }
}
