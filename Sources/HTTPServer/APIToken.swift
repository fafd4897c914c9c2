import Glibc
import RebateCore

/// API tokens: 32 random bytes from /dev/urandom, shown to the user once, stored only as their
/// SHA-256 hash. A leaked table of hashes therefore lets nobody in.
public enum APIToken {
  public static let randomByteCount = 32
  /// Tokens start with this so they are recognisable in a leak scan and in a config file.
  public static let prefix = "rbt_"
  /// prefix + 64 hex digits; anything longer presented by a client is refused unhashed.
  public static let textLength = prefix.count + 2 * randomByteCount

  /// A new token: `text` to show once, `hash` to store.
  public struct Issued: Sendable {
    public let text: String
    public let hash: String
  }

  public static func issue() throws(TokenError) -> Issued {
    let text = prefix + SHA256.hexString(try randomBytes(randomByteCount))
    return Issued(text: text, hash: hash(text))
  }

  /// The stored form of a token: lower-case hex SHA-256 of its text.
  public static func hash(_ text: String) -> String { SHA256.hex(text) }

  /// Whether `text` has the shape of a token (before any lookup).
  public static func isWellFormed(_ text: String) -> Bool {
    text.utf8.count == textLength && text.hasPrefix(prefix)
      && text.utf8.dropFirst(prefix.utf8.count).allSatisfy {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
          || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
      }
  }

  static func randomBytes(_ count: Int) throws(TokenError) -> [UInt8] {
    let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .randomSourceUnavailable(errno: errno) }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let got = bytes[filled...].withUnsafeMutableBytes {
        read(descriptor, $0.baseAddress, $0.count)
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { throw .randomSourceUnavailable(errno: errno) }
      filled += got
    }
    return bytes
  }
}

public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
  case randomSourceUnavailable(errno: Int32)

  public var code: String { "E-HTTP-TOKEN-RANDOM" }

  public var description: String {
    switch self {
    case .randomSourceUnavailable(let number):
      return "\(code): /dev/urandom could not be read (errno \(number)); no token was issued"
    }
  }
}
