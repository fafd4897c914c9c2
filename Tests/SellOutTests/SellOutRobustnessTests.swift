import Foundation
import RebateCore
import SellOut
import Testing

/// SplitMix64: a tiny seeded generator, so a failing iteration can be replayed exactly.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
    return mixed ^ (mixed >> 31)
  }
}

@Suite struct SellOutRobustnessTests {
  static let goodFiles: [[UInt8]] = [
    Array("Date,SKU,Qty\n2026-07-01,TV-55,3\n2026-07-02,TV-65,1\n2026-07-03,SB-100,12\n".utf8),
    Array(
      "Дата;Артикул;Количество;Цена\r\n05.07.2026;TV-55;2;1 234,50\r\n06.07.2026;D-100;1;99\r\n"
        .utf8),
    Array("SKU\tQty\tDate\nTV-55\t1\t2026-07-10\nTV-65\t7\t2026-07-11\n".utf8),
    Array("Date,SKU,Qty,Note\n2026-07-01,TV-55,1,\"a, b\"\n2026-07-02,TV-65,2,\"x\"\"y\"\n".utf8),
  ]

  /// Bytes that matter to the reader: structure, digits, signs, and encoding troublemakers.
  static let interestingBytes: [UInt8] =
    Array(",;\t\"\r\n0123456789.- ".utf8) + [0x00, 0xC0, 0x98, 0xFF, 0xEF]

  static func mutate(_ file: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
    var bytes = file
    for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
      let index = Int.random(in: 0..<bytes.count, using: &random)
      let byte =
        Bool.random(using: &random)
        ? interestingBytes.randomElement(using: &random)!
        : UInt8.random(in: 0...255, using: &random)
      switch Int.random(in: 0..<6, using: &random) {
      case 0: bytes[index] = byte
      case 1: bytes.insert(byte, at: index)
      case 2: bytes.remove(at: index)
      case 3: bytes = Array(bytes[..<index])
      case 4:
        // A digit for a digit keeps many files valid, so acceptances get checked too.
        if (0x30...0x39).contains(bytes[index]) {
          bytes[index] = UInt8.random(in: 0x31...0x39, using: &random)
        }
      default:
        let end = bytes[index...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        bytes.insert(contentsOf: bytes[index..<end], at: end)
      }
    }
    return bytes
  }

  /// Physical lines (LF, CRLF or lone CR) that hold anything besides blanks and delimiters.
  static func nonBlankLineNumbers(_ bytes: [UInt8], delimiter: UInt8) -> [Int] {
    var result: [Int] = []
    var line = 1
    var hasContent = false
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A || byte == 0x0D {
        if hasContent { result.append(line) }
        if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
        line += 1
        hasContent = false
      } else if byte != 0x20 && byte != 0x09 && byte != delimiter
        && !(line == 1 && index < 3 && byte >= 0xBB)
      {
        hasContent = true
      }
      index += 1
    }
    if hasContent { result.append(line) }
    return result
  }

  /// Accepted means complete: every non-blank line after the header is in the result (exactly,
  /// when no quotes can join lines into one record).
  static func checkComplete(_ file: SellOutFile, _ bytes: [UInt8]) {
    let lines = nonBlankLineNumbers(bytes, delimiter: file.delimiter.rawValue)
    let dataLines = Array(lines.dropFirst())
    let reported = file.lines.map(\.lineNumber)
    if bytes.contains(UInt8(ascii: "\"")) {
      #expect(reported.count <= dataLines.count)
      #expect(
        reported.first == dataLines.first,
        "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
      #expect(Set(reported).isSubset(of: Set(dataLines)))
    } else {
      #expect(reported == dataLines)
    }
  }

  @Test func mutatedFilesAreAcceptedWholeOrRejectedWithErrors() {
    var random = SeededGenerator(state: 20_261_122)
    let reader = SellOutFileReader(settings: Dealer.settings())
    var accepted = 0
    let iterations = 4000
    for iteration in 0..<iterations {
      let base = Self.goodFiles[iteration % Self.goodFiles.count]
      let bytes = Self.mutate(base, &random)
      do {
        let file = try reader.read(bytes)
        accepted += 1
        Self.checkComplete(file, bytes)
      } catch {
        #expect(!error.errors.isEmpty)
        #expect(error.errors.count <= SellOutLimits.defaultMaxErrorsListed)
      }
    }
    // The property must be exercised on both sides.
    #expect(accepted > iterations / 20)
    #expect(accepted < iterations)
  }

  @Test func randomBytesNeverCrashAndAreNeverAcceptedWithData() {
    var random = SeededGenerator(state: 42)
    let reader = SellOutFileReader(settings: Dealer.settings())
    for _ in 0..<2000 {
      let count = Int.random(in: 0...400, using: &random)
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
      if let file = try? reader.read(bytes) {
        Self.checkComplete(file, bytes)
      }
    }
  }

  @Test func theGoodFilesThemselvesAreAcceptedComplete() throws {
    let reader = SellOutFileReader(settings: Dealer.settings())
    for bytes in Self.goodFiles {
      let file = try reader.read(bytes)
      #expect(file.lines.count >= 2)
      Self.checkComplete(file, bytes)
    }
  }

  @Test func aHundredMegabyteFileIsRefusedForSize() throws {
    let line = Array("2026-07-01,TV-55,1\n".utf8)
    var chunk: [UInt8] = Array("Date,SKU,Qty\n".utf8)
    while chunk.count < 1_048_576 { chunk += line }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sellout-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("huge.csv")
    try #require(FileManager.default.createFile(atPath: path.path, contents: nil))
    let handle = try FileHandle(forWritingTo: path)
    for _ in 0..<100 { handle.write(Data(chunk)) }
    try handle.close()
    let bytes = Array(try Data(contentsOf: path))
    #expect(bytes.count >= 100 * 1_048_576)
    let rejection = try #require(Dealer.rejection(bytes))
    #expect(rejection.errors.map(\.expectedForm) == ["0,,E-SELLOUT-TOO-LARGE"])
    #expect(rejection.sha256 == nil)
  }

  /// The benchmark the product is held to: a million lines in a few seconds (release build).
  @Test(.enabled(if: ProcessInfo.processInfo.environment["SELLOUT_BENCHMARK"] != nil))
  func aMillionLinesReadQuickly() throws {
    var bytes: [UInt8] = Array("Дата;Артикул;Количество;Цена\n".utf8)
    let skus = ["TV-55", "TV-65", "SB-100", "D-100"]
    for index in 0..<1_000_000 {
      let day = index % 31 + 1
      let dayText = day < 10 ? "0\(day)" : "\(day)"
      bytes += Array("\(dayText).07.2026;\(skus[index % 4]);\(index % 97 + 1);\(index),50\n".utf8)
    }
    let clock = ContinuousClock()
    var file: SellOutFile? = nil
    let elapsed = try clock.measure {
      file = try SellOutFileReader(settings: Dealer.settings()).read(bytes)
    }
    print("read \(bytes.count) bytes, \(file?.lines.count ?? 0) lines in \(elapsed)")
    #expect(file?.lines.count == 1_000_000)
    #expect(elapsed < .seconds(5))
  }
}
