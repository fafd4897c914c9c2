import Foundation
import SellOut
import Testing

/// Every file in Fixtures/bad is rejected with exactly the errors its `.expected` file lists
/// (`line,column,code` per error, then `more,N` when errors beyond the listed ones exist).
@Suite struct BadFileCorpusTests {
  static let names: [String] = {
    let folder = Fixtures.root.appendingPathComponent("bad")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
  }()

  @Test func theCorpusHasAtLeastThirtyFiles() {
    #expect(Self.names.count >= 30)
  }

  @Test(arguments: names) func badFileIsRejectedWithExactlyItsErrors(name: String) throws {
    let bytes = try Fixtures.bytes("bad/\(name).csv")
    let expectedText = try String(
      contentsOf: Fixtures.root.appendingPathComponent("bad/\(name).expected"), encoding: .utf8)
    var expected = expectedText.split(separator: "\n").map(String.init)
    var expectedMore = 0
    if let last = expected.last, last.hasPrefix("more,") {
      expectedMore = try #require(Int(last.dropFirst(5)))
      expected.removeLast()
    }
    let rejection = try #require(Dealer.rejection(bytes), "\(name) must be rejected")
    #expect(rejection.errors.map(\.expectedForm) == expected, "\(name)")
    #expect(rejection.unlistedErrorCount == expectedMore, "\(name)")
    for error in rejection.errors {
      #expect(!error.reason.isEmpty)
    }
  }
}
