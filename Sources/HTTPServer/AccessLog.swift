import Glibc
import RebateCore
import Synchronization

/// Where access-log lines go. Called from worker threads, so implementations must be
/// thread-safe; tests capture lines with their own sink.
public protocol AccessLogSink: Sendable {
  /// False when lines are dropped anyway: the server then does not format them.
  var isEnabled: Bool { get }
  /// One complete JSON object, no trailing newline.
  func write(line: String)
}

extension AccessLogSink {
  public var isEnabled: Bool { true }
}

/// Writes each line plus a newline to a file descriptor (standard error by default) in one
/// `write(2)`, so lines from different threads never interleave.
public struct FileDescriptorAccessLog: AccessLogSink {
  public let fileDescriptor: Int32

  public init(fileDescriptor: Int32 = STDERR_FILENO) { self.fileDescriptor = fileDescriptor }

  public func write(line: String) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        Glibc.write(fileDescriptor, $0.baseAddress, $0.count)
      }
      if written < 0 && errno == EINTR { continue }
      // A log that cannot be written must not take the request down with it.
      guard written > 0 else { return }
      offset += written
    }
  }
}

/// Drops every line (benchmarks).
public struct DiscardingAccessLog: AccessLogSink {
  public init() {}
  public var isEnabled: Bool { false }
  public func write(line: String) {}
}

/// One access-log record; rendered as a single JSON line.
struct AccessLogEntry {
  let timeMicroseconds: Int64
  let requestID: String
  let method: String
  let path: String
  let status: Int
  let bytes: Int
  let durationMicroseconds: Int
  let user: String?
  let remoteAddress: String
  /// What a handler threw, for 500s only: operators see it, clients never do.
  let internalError: String?

  /// Assembled in one byte buffer: a quoted `String` per field cost an allocation each, on
  /// every request.
  var jsonLine: String {
    var line: [UInt8] = []
    line.reserveCapacity(Self.expectedLineBytes + path.utf8.count)
    func text(_ literal: String) { line.append(contentsOf: literal.utf8) }
    func quoted(_ value: String) { JSONText.appendQuoted(value, to: &line) }
    text("{\"time\":")
    quoted(Self.iso8601(timeMicroseconds))
    text(",\"request_id\":")
    quoted(requestID)
    text(",\"method\":")
    quoted(method)
    text(",\"path\":")
    quoted(path)
    text(",\"status\":\(status),\"bytes\":\(bytes),\"duration_us\":\(durationMicroseconds)")
    text(",\"user\":")
    if let user { quoted(user) } else { text("null") }
    text(",\"remote\":")
    quoted(remoteAddress)
    if let internalError {
      text(",\"error\":")
      quoted(internalError)
    }
    text("}")
    return String(decoding: line, as: UTF8.self)
  }

  /// The fixed part of a line and its short fields, so the buffer is allocated once.
  static let expectedLineBytes = 256

  /// UTC time with millisecond precision: `2026-11-22T09:30:00.123Z`.
  static func iso8601(_ microsecondsSinceEpoch: Int64) -> String {
    let milliseconds = microsecondsSinceEpoch / 1000
    let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
    let dayFixed = millisecondOfDay < 0 ? days - 1 : days
    let inDay = millisecondOfDay < 0 ? millisecondOfDay + 86_400_000 : millisecondOfDay
    let day = Day(daysSinceEpoch: Int32(dayFixed))
    let hours = inDay / 3_600_000
    let minutes = inDay / 60_000 % 60
    let seconds = inDay / 1000 % 60
    let millis = inDay % 1000
    return "\(day)T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(millis, 3))Z"
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
}

/// Wall-clock and monotonic time in microseconds.
enum Clock {
  static func wallMicroseconds() -> Int64 { read(CLOCK_REALTIME) }
  static func monotonicMicroseconds() -> Int64 { read(CLOCK_MONOTONIC) }

  private static func read(_ clock: clockid_t) -> Int64 {
    var spec = timespec()
    clock_gettime(clock, &spec)
    return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
  }
}
