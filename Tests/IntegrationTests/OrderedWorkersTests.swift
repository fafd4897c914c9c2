import Foundation
import Testing

@testable import RebateStore

/// The close computes dealers on worker threads and must write them exactly as a serial run
/// would: in input order, with the first failure in input order, and without leaving threads
/// behind when the reader fails.
@Suite struct OrderedWorkersTests {
  struct Failure: Error, Equatable { let input: Int }

  /// Later inputs finish first (earlier ones sleep longer), so order is the pool's doing.
  static func slowFirst(_ input: Int) throws -> Int {
    usleep(useconds_t((64 - input % 64) * 20))
    return input * input
  }

  @Test(arguments: [1, 2, 4])
  func outputsComeBackInInputOrder(workers: Int) throws {
    let pool = OrderedWorkers<Int, Int>(workers: workers, capacity: 8, transform: Self.slowFirst)
    var delivered: [Int] = []
    for input in 0..<500 { try pool.submit(input) { delivered.append($0) } }
    try pool.finish { delivered.append($0) }
    #expect(delivered == (0..<500).map { $0 * $0 })
  }

  @Test func theFirstFailureInInputOrderIsThrownAfterEveryEarlierOutput() throws {
    let pool = OrderedWorkers<Int, Int>(workers: 2, capacity: 128) { input in
      // 300 fails fast, 200 slowly: the caller must still see 200's failure, after 0...199.
      if input == 200 {
        usleep(20_000)
        throw Failure(input: 200)
      }
      if input == 300 { throw Failure(input: 300) }
      return input
    }
    defer { pool.stop() }
    var delivered: [Int] = []
    #expect(throws: Failure(input: 200)) {
      for input in 0..<400 { try pool.submit(input) { delivered.append($0) } }
      try pool.finish { delivered.append($0) }
    }
    #expect(delivered == Array(0..<200))
  }

  @Test func stopAbandonsQueuedWorkAndJoinsTheWorkers() throws {
    let computed = Counter()
    let pool = OrderedWorkers<Int, Int>(workers: 1, capacity: 16) { input in
      usleep(5_000)
      computed.increment()
      return input
    }
    var delivered = 0
    for input in 0..<16 { try pool.submit(input) { _ in delivered += 1 } }
    pool.stop()
    let after = computed.value
    usleep(20_000)
    #expect(after < 16, "queued inputs were abandoned")
    #expect(computed.value == after, "no worker runs after stop returns")
  }

  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
  }
}
