import Close
import Economics
import Foundation
import Mechanics
import PostgresClient
import Pricing
import RebateCore

/// The what-if on real history (docs/what-if.md): a period recomputed under a draft policy from
/// the same documents the close reads, through the reader connections only. It writes nothing:
/// no transaction on the writer, no audit row, no period status.
extension CloseStore {
  /// Recomputes `period` under `settings` and hands each dealer's result to `each`, in dealer
  /// order. `close` writes what this computes, so a what-if and a draft cannot drift apart.
  public func simulate(
    _ period: Period, settings: CloseSettings,
    newNetUnitPrice: ((String, ProductInfo, Day) throws -> ExactDecimal)? = nil,
    each: (DealerResult) throws -> Void
  ) throws {
    let previous = period.previous
    let previousClosed = try readerStore.period(previous)?.status == .closed
    let closedLines = previousClosed ? try linesByDealer(previous) : [:]
    let priorGrades = previousClosed ? try grades(previous) : [:]
    // Recomputing the previous period for late data (E10) applies ITS eligibility: the grade of
    // the period before it.
    let older = previous.previous
    let olderClosed = try previousClosed && readerStore.period(older)?.status == .closed
    let olderGrades = olderClosed ? try grades(older) : [:]
    let segments = Dictionary(
      uniqueKeysWithValues: try readerStore.dealers().map { ($0.code, $0.segment) })
    let sellOut = try SellOutInputs(
      store: SellOutStore(connection: reader), period: period,
      previous: previousClosed ? previous : nil,
      measureCompleteness: settings.needsSellOutCompleteness,
      newNetUnitPrice: settings.offInvoice.priceProtection == nil ? nil : newNetUnitPrice)
    let (from, cutoff) = Self.window(period, settings: settings)
    let stream = CloseDocumentStream(
      documents: reader, payments: cursor, from: from, through: period.lastDay,
      paymentsThrough: period.lastDay.adding(days: cutoff))
    try stream.run { batch in
      let profile = Close.DealerProfile(
        dealer: batch.dealer, segment: segments[batch.dealer] ?? "unknown",
        priorGrade: priorGrades[batch.dealer], priorGradePeriod: previousClosed ? previous : nil)
      let late =
        previousClosed
        ? [
          LateDataCheck(
            closedPeriod: previous, closedLines: closedLines[batch.dealer] ?? [],
            documents: sellOut.documents(
              batch.upTo(previous.lastDay, paymentsThrough: previous.lastDay.adding(days: cutoff)),
              profile: Close.DealerProfile(
                dealer: batch.dealer, segment: profile.segment,
                priorGrade: olderGrades[batch.dealer], priorGradePeriod: olderClosed ? older : nil),
              period: previous))
        ] : []
      let current = batch.upTo(period.lastDay, paymentsThrough: period.lastDay.adding(days: cutoff))
      try each(
        try closeDealer(
          sellOut.documents(current, profile: profile, period: period), period: period,
          settings: settings, lateData: late))
    }
  }

  /// The stored result of a computed period beside `settings` recomputed on the same history.
  public func whatIf(
    _ period: Period, settings: CloseSettings,
    newNetUnitPrice: ((String, ProductInfo, Day) throws -> ExactDecimal)? = nil
  ) throws -> SimulationComparison {
    guard let record = try readerStore.period(period), record.status != .open else {
      throw CloseStoreError.notFound("period \(period) has not been computed")
    }
    guard let fingerprint = record.fingerprint else {
      throw CloseStoreError.notFound("period \(period) has no fingerprint")
    }
    var actual = SimulationSide(period: period, settings: settings)
    try amounts(period) { try actual.add($0) }
    var simulated = SimulationSide(period: period, settings: settings)
    try simulate(period, settings: settings, newNetUnitPrice: newNetUnitPrice) {
      try simulated.add($0)
    }
    return try SimulationComparison(
      actual: actual, actualPolicy: try policySource(period).reference,
      actualFingerprint: fingerprint, simulated: simulated,
      simulatedSummary: try simulated.finish())
  }
}
