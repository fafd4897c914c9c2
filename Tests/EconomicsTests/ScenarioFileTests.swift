import Economics
import Foundation
import RebateCore
import Testing

/// Every scenario under `scenarios/` reproduces the figures of the domain reference it names
/// (E1–E12): each file's `[[expect]]` rows are the figures, checked exactly.
@Suite struct ScenarioFileTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func files() throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent("scenarios").path
    ).filter { $0.hasSuffix(".toml") }.sorted()
  }

  static func outcome(_ name: String) throws -> ScenarioOutcome {
    let text = try String(
      contentsOf: root.appendingPathComponent("scenarios/\(name)"), encoding: .utf8)
    switch ScenarioDecoder.decode(text, file: "scenarios/\(name)") {
    case .success(let scenario): return try ScenarioRun.run(scenario)
    case .failure(let problems): throw problems
    }
  }

  @Test(arguments: try files()) func scenarioReproducesItsFigures(_ name: String) throws {
    let outcome = try Self.outcome(name)
    #expect(!outcome.checks.isEmpty, "\(name) expects nothing")
    for check in outcome.checks {
      #expect(
        check.actual == check.expectation.value,
        "\(name): \(check.expectation.subject) \(check.expectation.figure)")
    }
  }

  @Test func everyDomainExampleHasAScenario() throws {
    let files = try Self.files()
    for number in 1...12 {
      let prefix = number < 10 ? "e0\(number)-" : "e\(number)-"
      #expect(files.contains { $0.hasPrefix(prefix) }, "no scenario for E\(number)")
    }
  }

  /// A SKU defined twice used to be "the last row wins" (a silent change of price); it is a
  /// problem at the second row now.
  @Test func aProductDefinedTwiceIsAProblemAtItsSecondRow() throws {
    let text = try String(
      contentsOf: Self.root.appendingPathComponent("scenarios/e01-cascade.toml"), encoding: .utf8)
    let twice = text.replacingOccurrences(
      of: "[[product]]\nsku = \"DRILL-1\"\ncategory = \"Power tools\"\nlist_price = 10000.00\n",
      with: "[[product]]\nsku = \"DRILL-1\"\ncategory = \"Power tools\"\nlist_price = 10000.00\n"
        + "\n[[product]]\nsku = \"DRILL-1\"\ncategory = \"Power tools\"\nlist_price = 1.00\n")
    #expect(twice != text)
    switch ScenarioDecoder.decode(twice, file: "twice.toml") {
    case .success: Issue.record("a SKU defined twice was accepted")
    case .failure(let problems):
      #expect(
        problems.problems.map(\.description) == [
          "twice.toml:42:7: E-POLICY-DUPLICATE: product[2].sku: product DRILL-1 is defined twice"
        ])
    }
  }
}
