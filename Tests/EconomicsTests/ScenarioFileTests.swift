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
}
