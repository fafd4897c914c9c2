import PostgresClient

#if canImport(Glibc)
  import Glibc
#endif

/// COPY rows parked in an anonymous temporary file (removed when closed) while another COPY
/// has the connection, so they never accumulate in memory.
final class DocumentSpill {
  private let file: UnsafeMutablePointer<FILE>

  init() throws {
    guard let file = tmpfile() else { throw ImportFileError.unreadable("(temporary file)") }
    self.file = file
  }

  deinit { fclose(file) }

  func write(_ copy: inout CopyBuffer) throws {
    let written = copy.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    guard written == copy.bytes.count else { throw ImportFileError.unreadable("(temporary file)") }
    copy.clear()
  }

  /// Sends everything written so far (again, if called again).
  func send(to writer: CopyWriter) throws {
    guard fflush(file) == 0 else { throw ImportFileError.unreadable("(temporary file)") }
    rewind(file)
    defer { fseek(file, 0, SEEK_END) }
    var chunk = [UInt8](repeating: 0, count: CopyBuffer.flushBytes)
    while true {
      let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      guard count > 0 else { break }
      try chunk.withUnsafeBytes { try writer.send(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }
    guard ferror(file) == 0 else { throw ImportFileError.unreadable("(temporary file)") }
  }
}
