import Foundation
import Policy
import PolicyFormat

/// Test support: reads files next to the tests (Foundation is fine in tests, not in the core).
enum PolicyFiles {
  static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

  static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

  static func fixture(_ name: String) throws -> String {
    try text(testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name))
  }

  /// The problem lines of a fixture, as `rebate policy check` prints them.
  static func problems(ofFixture name: String) throws -> [String] {
    switch PolicyDecoder.decode(try fixture(name), file: name) {
    case .success: return []
    case .failure(let problems): return problems.problems.map(\.description)
    }
  }

  static var examplePolicies: [URL] {
    let folder = repositoryRoot.appendingPathComponent("policies")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".toml") }.sorted().map { folder.appendingPathComponent($0) }
  }

  static func example(_ name: String) throws -> CommercialPolicy {
    let url = repositoryRoot.appendingPathComponent("policies").appendingPathComponent(name)
    return try PolicyDecoder.decode(try text(url), file: name).get()
  }
}
