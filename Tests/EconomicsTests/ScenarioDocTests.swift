import Economics
import Foundation
import Testing

/// The scenarios written in docs/what-if.md are run as written: the page cannot drift from the
/// engine.
@Suite struct ScenarioDocTests {
  static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "docs/what-if.md")

  /// Every ```toml block of the page.
  static func examples() throws -> [String] {
    let text = try String(contentsOf: page, encoding: .utf8)
    return text.components(separatedBy: "```toml\n").dropFirst().map {
      $0.components(separatedBy: "```")[0]
    }
  }

  @Test func thePageHasExamples() throws {
    #expect(try Self.examples().count == 2)
  }

  @Test(arguments: try examples()) func exampleComputesItsFigures(_ text: String) throws {
    let scenario = try ScenarioDecoder.decode(text, file: "docs/what-if.md").get()
    let outcome = try ScenarioRun.run(scenario)
    #expect(!outcome.checks.isEmpty)
    for check in outcome.checks {
      #expect(check.actual == check.expectation.value, "\(scenario.name): \(check.expectation)")
    }
  }
}
