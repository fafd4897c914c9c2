import Foundation

/// COPY rows parked in an unlinked temporary file until their table's COPY can start: a close
/// writes its grade rows only after the results COPY ends, and at tens of kilobytes of
/// explanation per dealer they would otherwise grow with the period in memory (16 GB at the
/// close's limit of 1,000,000 dealers). The file has no name once opened, so it disappears with
/// the process, however it ends.
final class RowSpool {
  static let chunkBytes = 1 << 20
  private let descriptor: Int32
  private(set) var byteCount = 0

  /// The folder of `TMPDIR` in `environment`, else /tmp.
  static func directory(_ environment: [String: String]) -> String {
    environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
  }

  init(directory: String) throws {
    var template = Array((directory + "/rebate-close-XXXXXX").utf8CString)
    descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw Self.failure("create a spool file in \(directory)") }
    _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
  }

  deinit { close(descriptor) }

  func append(_ bytes: [UInt8]) throws {
    var written = 0
    try bytes.withUnsafeBytes { raw in
      while written < raw.count {
        let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
        if result < 0 && errno == EINTR { continue }
        guard result > 0 else { throw Self.failure("write \(raw.count) bytes to the spool file") }
        written += result
      }
    }
    byteCount += bytes.count
  }

  /// Everything appended, from the start, in chunks of at most `chunkBytes`.
  func replay(_ each: (UnsafeRawBufferPointer) throws -> Void) throws {
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw Self.failure("rewind the spool file") }
    var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
    var remaining = byteCount
    while remaining > 0 {
      let got = buffer.withUnsafeMutableBytes {
        read(descriptor, $0.baseAddress!, min($0.count, remaining))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { throw Self.failure("read the spool file back") }
      try buffer.withUnsafeBytes { try each(UnsafeRawBufferPointer(rebasing: $0[..<got])) }
      remaining -= got
    }
  }

  private static func failure(_ action: String) -> CloseStoreError {
    .spool("could not \(action): \(String(cString: strerror(errno)))")
  }
}
