import Foundation

/// Runs `transform` on worker threads while the calling thread goes on reading its input, and
/// hands the outputs back to the calling thread in input order, so whatever it writes is the same
/// bytes as a serial run. The close reads documents off one connection and writes results to
/// another; computing dealers beside that I/O puts the machine's other cores to work.
///
/// Bounded: at most `capacity` inputs are in flight, so memory does not grow with the period.
/// The caller must call `finish` (outputs still owed) or `stop` (abandoning them) before it
/// drops the pool; `finish` and `stop` join the threads.
final class OrderedWorkers<Input: Sendable, Output: Sendable>: @unchecked Sendable {
  static var defaultWorkerCount: Int {
    // One core stays with the calling thread (reading and writing) and the database.
    max(1, min(8, ProcessInfo.processInfo.activeProcessorCount - 1))
  }

  // Everything below is guarded by `condition`, except `delivered`, which only the calling
  // thread changes (read under the lock by nobody else).
  private let condition = NSCondition()
  private var queue: [(sequence: Int, input: Input)] = []
  private var queueHead = 0
  private var outputs: [Int: Result<Output, any Error>] = [:]
  private var submitted = 0
  private var delivered = 0
  private var running = 0
  private var stopping = false
  private let capacity: Int
  private let transform: @Sendable (Input) throws -> Output

  init(
    workers: Int = defaultWorkerCount, capacity: Int,
    transform: @escaping @Sendable (Input) throws -> Output
  ) {
    precondition(workers >= 1 && capacity >= workers, "at least one worker, one slot each")
    self.capacity = capacity
    self.transform = transform
    running = workers
    for _ in 0..<workers {
      Thread { [self] in work() }.start()
    }
  }

  /// Queues `input`, then delivers every output that is ready in order; blocks only while
  /// `capacity` inputs are in flight. An error of `transform` is thrown here, in input order.
  func submit(_ input: Input, deliver: (Output) throws -> Void) throws {
    condition.lock()
    queue.append((submitted, input))
    submitted += 1
    condition.signal()
    condition.unlock()
    try drain(waitingWhileInFlightReaches: capacity, deliver)
  }

  /// Delivers every output still owed, then stops the workers.
  func finish(deliver: (Output) throws -> Void) throws {
    defer { stop() }
    try drain(waitingWhileInFlightReaches: 1, deliver)
  }

  /// Abandons queued inputs and joins the workers; safe to call more than once.
  func stop() {
    condition.lock()
    stopping = true
    queue.removeAll()
    queueHead = 0
    condition.broadcast()
    while running > 0 { condition.wait() }
    condition.unlock()
  }

  /// Delivers ready outputs in order; waits for the next one while `limit` or more inputs are
  /// in flight.
  private func drain(waitingWhileInFlightReaches limit: Int, _ deliver: (Output) throws -> Void)
    throws
  {
    while true {
      condition.lock()
      while submitted - delivered >= limit && outputs[delivered] == nil { condition.wait() }
      let ready = outputs.removeValue(forKey: delivered)
      condition.unlock()
      guard let ready else { return }
      delivered += 1
      try deliver(ready.get())
    }
  }

  private func work() {
    while let (sequence, input) = next() {
      let output = Result { try transform(input) }
      condition.lock()
      outputs[sequence] = output
      condition.broadcast()
      condition.unlock()
    }
    condition.lock()
    running -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// The oldest queued input; nil once stopping.
  private func next() -> (Int, Input)? {
    condition.lock()
    defer { condition.unlock() }
    while queueHead == queue.count && !stopping { condition.wait() }
    guard !stopping else { return nil }
    let item = queue[queueHead]
    queueHead += 1
    if queueHead == queue.count {
      queue.removeAll(keepingCapacity: true)
      queueHead = 0
    }
    return item
  }
}
