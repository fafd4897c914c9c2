import Close
import Economics
import Foundation
import RebateCore
import Testing

/// The side-by-side of a what-if, computed in memory from scenario files: E5's dealer under the
/// incremental scale (actual) and the retroactive one (draft).
@Suite struct SimulationComparisonTests {
  static func outcome(_ name: String, edit: (String) -> String = { $0 }) throws -> ScenarioOutcome {
    let text = try String(
      contentsOf: ScenarioFileTests.root.appendingPathComponent("scenarios/\(name)"),
      encoding: .utf8)
    return try ScenarioRun.run(try ScenarioDecoder.decode(edit(text), file: name).get())
  }

  static func side(_ outcome: ScenarioOutcome) throws -> (SimulationSide, PeriodSummary) {
    var side = SimulationSide(
      period: outcome.scenario.period, settings: CloseSettings(policy: outcome.scenario.policy))
    for result in outcome.results { try side.add(result) }
    return (side, try side.finish())
  }

  static func comparison(actual: ScenarioOutcome, simulated: ScenarioOutcome) throws
    -> SimulationComparison
  {
    let (left, leftSummary) = try side(actual)
    let (right, rightSummary) = try side(simulated)
    return try SimulationComparison(
      actual: left, actualPolicy: leftSummary.policyReference,
      actualFingerprint: leftSummary.fingerprint, simulated: right,
      simulatedSummary: rightSummary)
  }

  @Test func theSamePolicyIsIdentical() throws {
    let outcome = try Self.outcome("e12-program-cost.toml")
    let comparison = try Self.comparison(actual: outcome, simulated: outcome)
    #expect(comparison.identical)
    #expect(comparison.total.actual == Money(minor: 11_270_000))
    #expect(comparison.total.change == .zero)
    #expect(comparison.gainers.isEmpty && comparison.losers.isEmpty)
    #expect(comparison.text().contains("simulated identical to the actual result"))
  }

  @Test func aDraftShowsCostPerMechanicSegmentAndDealerWithShares() throws {
    let actual = try Self.outcome("e05-volume-incremental.toml")
    let draft = try Self.outcome("e05-volume-retroactive.toml")
    let comparison = try Self.comparison(actual: actual, simulated: draft)
    #expect(!comparison.identical)
    let volume = try #require(comparison.byMechanic.first { $0.key == "volume_bonus" })
    #expect(volume.actual == Money(minor: 4_400_000))
    #expect(volume.simulated == Money(minor: 8_400_000))
    #expect(volume.share(volume.actual)?.percentText(decimals: 2) == "1.05")
    #expect(volume.share(volume.simulated)?.percentText(decimals: 2) == "2.00")
    #expect(comparison.bySegment.map(\.key) == ["retail"])
    #expect(comparison.gainers.map(\.key) == ["D-E5"])
    #expect(comparison.gainers.first?.change == Money(minor: 4_000_000))
    #expect(comparison.losers.isEmpty)
    let reverse = try Self.comparison(actual: draft, simulated: actual)
    #expect(reverse.losers.first?.change == Money(minor: -4_000_000))
    let html = comparison.html()
    #expect(html.contains("<td>volume_bonus</td><td>44,000.00</td><td>1.05 %</td>"))
    #expect(html.contains("<td>+40,000.00</td>"))
  }

  @Test func moversAreTheLargestChangesTiesByDealer() throws {
    // Three dealers with the E5 quarter; the draft doubles every tier rate.
    let copies = { (text: String) -> String in
      var out = text
      for dealer in ["D-A", "D-B"] {
        out += "\n[[dealer]]\nid = \"\(dealer)\"\ntier = \"Gold\"\nsegment = \"b2b\"\n"
        out +=
          "\n[[invoice]]\nnumber = \"\(dealer)-1\"\ndealer = \"\(dealer)\"\ndate = 2026-08-01\n"
        out += "vat = \"20%\"\n[[invoice.line]]\nsku = \"BOILER\"\nquantity = 3\n"
        out += "net_unit_price = 1400000.00\n"
      }
      return out
    }
    let actual = try Self.outcome("e05-volume-retroactive.toml", edit: copies)
    let draft = try Self.outcome("e05-volume-retroactive.toml") {
      copies($0).replacingOccurrences(of: "rate = \"2%\"", with: "rate = \"4%\"")
    }
    let comparison = try Self.comparison(actual: actual, simulated: draft)
    #expect(comparison.gainers.map(\.key) == ["D-A", "D-B", "D-E5"])
    #expect(comparison.bySegment.map(\.key) == ["b2b", "retail"])
    #expect(comparison.total.change == Money(minor: 3 * 8_400_000))
  }
}

@Suite struct ScenarioErrorTests {
  @Test func aQuoteOfAnUndefinedDealerIsRefused() throws {
    let text = try String(
      contentsOf: ScenarioFileTests.root.appendingPathComponent("scenarios/e01-cascade.toml"),
      encoding: .utf8
    ).replacingOccurrences(of: "dealer = \"D-GOLD\"\nsku", with: "dealer = \"D-NONE\"\nsku")
    let scenario = try ScenarioDecoder.decode(text, file: "e01").get()
    #expect(throws: ScenarioError.unknown("dealer", "D-NONE", scenario: "E1 cascaded discount")) {
      try ScenarioRun.run(scenario)
    }
    #expect(
      ScenarioError.unknown("dealer", "D-NONE", scenario: "x").code == "E-SCENARIO-REFERENCE")
  }

  @Test func anUndefinedProductOnALineIsAFileProblem() throws {
    let text = try String(
      contentsOf: ScenarioFileTests.root.appendingPathComponent("scenarios/e04-early-payment.toml"),
      encoding: .utf8
    ).replacingOccurrences(of: "sku = \"BOILER\"\nquantity", with: "sku = \"NOPE\"\nquantity")
    guard case .failure(let problems) = ScenarioDecoder.decode(text, file: "e04") else {
      Issue.record("a line of an unknown product was accepted")
      return
    }
    #expect(problems.problems.map(\.code.rawValue) == ["E-POLICY-REFERENCE"])
    #expect(problems.description.contains("invoice[1].line[1].sku: no [[product]] has sku 'NOPE'"))
  }

  @Test func aPriorSegmentSegmentationNeverGivesIsAFileProblem() throws {
    let text = try String(
      contentsOf: ScenarioFileTests.root.appendingPathComponent(
        "scenarios/e05-volume-eligible-segments.toml"),
      encoding: .utf8
    ).replacingOccurrences(of: "prior_segment = \"at_risk\"", with: "prior_segment = \"At risk\"")
    guard case .failure(let problems) = ScenarioDecoder.decode(text, file: "e05") else {
      Issue.record("an unknown prior_segment was accepted")
      return
    }
    #expect(problems.problems.map(\.code.rawValue) == ["E-POLICY-REFERENCE"])
    #expect(
      problems.description.contains(
        "dealer[2].prior_segment: 'At risk' is not an RFM segment (champions, loyal, new, "
          + "at_risk, hibernating, regular)"))
  }
}
