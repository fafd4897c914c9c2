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
    try simulate(
      period, settings: settings, newNetUnitPrice: newNetUnitPrice, prepare: { _ in () }
    ) { result, _ in try each(result) }
  }

  /// As above; `prepare` runs beside the dealer's computation on a worker thread (the close
  /// encodes its rows there), and `each` gets both on the calling thread, in dealer order.
  func simulate<Prepared: Sendable>(
    _ period: Period, settings: CloseSettings,
    newNetUnitPrice: ((String, ProductInfo, Day) throws -> ExactDecimal)?,
    prepare: @escaping @Sendable (DealerResult) throws -> Prepared,
    each: (DealerResult, Prepared) throws -> Void
  ) throws {
    let inputs = try CloseInputs(
      self, period: period, settings: settings,
      newNetUnitPrice: newNetUnitPrice)
    let stream = CloseDocumentStream(
      documents: reader, payments: cursor, from: Self.window(period, settings: settings).from,
      through: period.lastDay, paymentsThrough: period.lastDay.adding(days: inputs.cutoffDays))
    let workers = OrderedWorkers<DealerBatch, (DealerResult, Prepared)>(
      capacity: Self.dealersInFlight
    ) { batch in
      let result = try inputs.close(batch)
      return (result, try prepare(result))
    }
    defer { workers.stop() }
    func deliver(_ output: (DealerResult, Prepared)) throws { try each(output.0, output.1) }
    try stream.run { batch in try workers.submit(batch, deliver: deliver) }
    try workers.finish(deliver: deliver)
  }

  /// Dealers read ahead of the one being written: enough to keep the workers busy while one
  /// large dealer is written, few enough that memory stays a few dealers' documents.
  static let dealersInFlight = 16

  /// The RFM segments stored for `period`, which the eligibility of `computing` reads; refused
  /// when none are: every dealer would otherwise fail (or pass) for want of a `--store` run.
  func storedSegments(_ period: Period, computing: Period) throws -> [String: String] {
    let segments = try EconomicsStore(connection: reader).storedSegments(period)
    guard !segments.isEmpty else {
      throw CloseStoreError.segmentsMissing(
        period: period.description, computing: computing.description)
    }
    return segments
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
