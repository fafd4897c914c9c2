import PolicyFormat
import RebateCore

/// Every problem of a scenario file, in file order (the policy format's codes and places).
public struct ScenarioProblems: Error, Sendable, CustomStringConvertible {
  public let problems: [PolicyProblem]

  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Why a scenario could not be computed (its file problems are `PolicyProblems`).
public enum ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
  case unknown(String, String, scenario: String)
  case expectations(scenario: String, failed: Int)

  public var code: String {
    switch self {
    case .unknown: return "E-SCENARIO-REFERENCE"
    case .expectations: return "E-SCENARIO-MISMATCH"
    }
  }

  public var description: String { "\(code): \(reason)" }

  /// The message without its code: the place and the reason.
  public var reason: String {
    switch self {
    case .unknown(let kind, let id, let scenario):
      return "scenario '\(scenario)' names \(kind) '\(id)', which it does not define"
    case .expectations(let scenario, let failed):
      return "scenario '\(scenario)': \(failed) expected figure(s) differ"
    }
  }
}
