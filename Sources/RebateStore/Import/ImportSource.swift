import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where an import's bytes come from: a file read in chunks (never whole into memory), or bytes
/// already in memory (tests). A source can be opened more than once: the invoice import reads
/// its file twice (check, then write).
public enum ImportSource: Sendable {
  case file(path: String)
  case bytes(Data)

  /// Files larger than this are refused before reading (a month of a big manufacturer's
  /// invoices is far below it).
  public static let maxFileBytes = 4 << 30

  func open() throws -> ImportByteStream {
    switch self {
    case .bytes(let data): return ImportByteStream(data: data)
    case .file(let path):
      let descriptor = Glibc.open(path, O_RDONLY)
      guard descriptor >= 0 else { throw ImportFileError.unreadable(path) }
      var status = stat()
      guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
        Glibc.close(descriptor)
        throw ImportFileError.unreadable(path)
      }
      guard Int(status.st_size) <= ImportSource.maxFileBytes else {
        Glibc.close(descriptor)
        throw ImportFileError.tooLarge(path, bytes: Int(status.st_size))
      }
      return ImportByteStream(descriptor: descriptor, path: path, size: Int(status.st_size))
    }
  }
}

/// One open reading of a source.
final class ImportByteStream {
  private let data: Data?
  private let descriptor: Int32
  private let path: String
  private var offset = 0
  /// The size when opened; a file that changes size while it is read is refused.
  let size: Int

  init(data: Data) {
    self.data = data
    descriptor = -1
    path = "(memory)"
    size = data.count
  }

  init(descriptor: Int32, path: String, size: Int) {
    data = nil
    self.descriptor = descriptor
    self.path = path
    self.size = size
  }

  deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

  /// Fills `target` from the start; returns the bytes read, 0 at the end.
  func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
    if let data {
      let count = min(target.count, data.count - offset)
      guard count > 0 else { return 0 }
      let start = data.startIndex + offset
      data.copyBytes(
        to: target.baseAddress!.assumingMemoryBound(to: UInt8.self), from: start..<start + count)
      offset += count
      return count
    }
    while true {
      let count = Glibc.read(descriptor, target.baseAddress, target.count)
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { throw ImportFileError.unreadable(path) }
      offset += count
      guard offset <= size else { throw ImportFileError.changed(path) }
      return count
    }
  }
}
