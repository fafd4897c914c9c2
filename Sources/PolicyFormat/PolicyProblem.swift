/// One problem found in a policy file: where, which stable code, the key path and the reason.
/// Printed as `FILE:LINE:COL: CODE: path: reason`, the form editors and CI logs link to.
public struct PolicyProblem: Error, Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Code: String, Sendable, Hashable, CaseIterable {
    /// The text is not in the policy format (a malformed line, string, number or date).
    case syntax = "E-POLICY-SYNTAX"
    /// A key or a table is defined twice.
    case duplicate = "E-POLICY-DUPLICATE"
    /// A key the format does not know: typos must not pass silently.
    case unknownKey = "E-POLICY-UNKNOWN-KEY"
    /// A key the policy must have is absent.
    case missingKey = "E-POLICY-MISSING-KEY"
    /// A value of the wrong type (a number where a percentage string is expected).
    case type = "E-POLICY-TYPE"
    /// A value of the right type that is out of range or not one of the allowed words.
    case value = "E-POLICY-VALUE"
    /// A name that refers to nothing (a step's group that is not declared).
    case reference = "E-POLICY-REFERENCE"
    /// Parts of the policy that contradict each other (approval level above the maximum).
    case rule = "E-POLICY-RULE"
    /// A list longer than the engine accepts.
    case limit = "E-POLICY-LIMIT"
  }

  public let file: String
  public let location: SourceLocation
  public let code: Code
  /// The key path, e.g. `cascade.step[2].percent` (array positions count from 1).
  public let path: String
  public let reason: String

  public init(file: String, location: SourceLocation, code: Code, path: String, reason: String) {
    self.file = file
    self.location = location
    self.code = code
    self.path = path
    self.reason = reason
  }

  public var description: String {
    "\(file):\(location.line):\(location.column): \(code.rawValue): \(path): \(reason)"
  }

  public static func < (lhs: PolicyProblem, rhs: PolicyProblem) -> Bool {
    (lhs.location, lhs.path, lhs.reason) < (rhs.location, rhs.path, rhs.reason)
  }
}

/// Collects every problem of one file, so an analyst sees them all in one run.
public final class ProblemLog {
  public let file: String
  public private(set) var problems: [PolicyProblem] = []
  /// A file with thousands of errors is not worth listing beyond this.
  public static let maximumProblems = 500

  public init(file: String) { self.file = file }

  public func report(
    _ code: PolicyProblem.Code, at location: SourceLocation, path: String, _ reason: String
  ) {
    guard problems.count < Self.maximumProblems else { return }
    problems.append(
      PolicyProblem(file: file, location: location, code: code, path: path, reason: reason))
  }

  /// The problems in file order, each once.
  public var sorted: [PolicyProblem] {
    var seen = Set<PolicyProblem>()
    return problems.sorted().filter { seen.insert($0).inserted }
  }
}
