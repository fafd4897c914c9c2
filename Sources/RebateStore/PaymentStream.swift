import Foundation
import Mechanics
import PostgresClient
import RebateCore

/// The close window's payments in dealer order, read by `COPY` on a connection and thread of
/// their own into a short queue of chunks. Fetching them in batches on the document stream's
/// thread stalled it once per batch: while it waited for the server, the document COPY backed
/// up and the workers ran dry.
final class PaymentStream: @unchecked Sendable {
  static let chunkRows = 4_096
  /// Chunks read ahead: bounded, so memory does not grow with the window.
  static let chunksAhead = 8

  /// The connection crosses to the reading thread once and is used by nothing else until
  /// `stop` has joined that thread.
  private struct Handoff: @unchecked Sendable { let connection: Connection }

  // Guarded by `condition`.
  private let condition = NSCondition()
  private var chunks: [[(dealer: String, payment: Payment)]] = []
  private var finished = false
  private var failure: (any Error)?
  private var cancelled = false

  /// Starts reading `sql` (a SELECT of dealer, payment, date, gross minor, invoice) inside a
  /// transaction on `connection`, after `prepare` has set that transaction up.
  init(
    connection: Connection, sql: String,
    prepare: @escaping @Sendable (Connection) throws -> Void
  ) {
    let handoff = Handoff(connection: connection)
    Thread { [self] in
      do {
        try handoff.connection.transaction(purpose: "stream payments") { connection in
          try prepare(connection)
          try Self.read(sql, on: connection) { try push($0) }
        }
        end(nil)
      } catch {
        end(error)
      }
    }.start()
  }

  /// Reads every payment of `sql` in chunks; the document stream without a connection of its
  /// own for payments reads them all this way before it starts.
  static func read(
    _ sql: String, on connection: Connection,
    _ deliver: ([(dealer: String, payment: Payment)]) throws -> Void
  ) throws {
    var row = CopyRow()
    var chunk: [(dealer: String, payment: Payment)] = []
    chunk.reserveCapacity(chunkRows)
    try connection.copyOut("COPY (\(sql)) TO STDOUT", purpose: "read payments") { raw in
      row.load(raw)
      chunk.append(try payment(row))
      if chunk.count == chunkRows {
        try deliver(chunk)
        chunk.removeAll(keepingCapacity: true)
      }
    }
    if !chunk.isEmpty { try deliver(chunk) }
  }

  private static func payment(_ row: CopyRow) throws -> (dealer: String, payment: Payment) {
    guard row.count == 5, let dealer = row.string(0), let id = row.string(1),
      let day = row.day(2), let gross = row.int64(3)
    else { throw CloseStoreError.badRow("payment stream", reason: "incomplete payment row") }
    return (
      dealer,
      Payment(
        id: id, dealer: dealer, day: day, grossAmount: Money(minor: gross),
        invoiceNumber: row.string(4))
    )
  }

  /// The next chunk in dealer order; nil after the last. A failure of the reading thread is
  /// thrown here, after the chunks read before it.
  func next() throws -> [(dealer: String, payment: Payment)]? {
    condition.lock()
    defer { condition.unlock() }
    while chunks.isEmpty && !finished { condition.wait() }
    if !chunks.isEmpty {
      condition.broadcast()
      return chunks.removeFirst()
    }
    if let failure { throw failure }
    return nil
  }

  /// Stops reading (the rest of the stream is drained and the transaction rolled back) and
  /// joins the thread; safe after the end, and more than once.
  func stop() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    while !finished { condition.wait() }
    condition.unlock()
  }

  private func push(_ chunk: [(dealer: String, payment: Payment)]) throws {
    condition.lock()
    defer { condition.unlock() }
    while chunks.count >= Self.chunksAhead && !cancelled { condition.wait() }
    guard !cancelled else { throw CancellationError() }
    chunks.append(chunk)
    condition.broadcast()
  }

  private func end(_ error: (any Error)?) {
    condition.lock()
    failure = error
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
