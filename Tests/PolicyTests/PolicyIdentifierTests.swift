import Foundation
import Policy
import PolicyFormat
import Testing

/// A policy's `id` is a code like a dealer's: the identifier grammar, reported at the value with
/// line and column like every other policy problem.
@Suite("Policy id grammar")
struct PolicyIdentifierTests {
  static func withID(_ id: String) throws -> [String] {
    let url = PolicyFiles.repositoryRoot.appendingPathComponent("policies/standard-2026.toml")
    let text = try PolicyFiles.text(url).replacingOccurrences(
      of: "id = \"standard-2026\"", with: "id = \"\(id)\"")
    switch PolicyDecoder.decode(text, file: "p.toml") {
    case .success: return []
    case .failure(let problems): return problems.problems.map(\.description)
    }
  }

  @Test func aValidIDPassesAndABrokenOneIsAValueProblemAtTheID() throws {
    #expect(try Self.withID("standard-2026") == [])
    #expect(try Self.withID("стандарт-2026") == [])
    #expect(
      try Self.withID("standard 2026") == [
        "p.toml:9:6: E-POLICY-VALUE: policy.id: 'standard 2026' holds U+0020, which a code may "
          + "not contain (E-ID-INVALID)"
      ])
    // The decomposed Ё (U+0415 U+0308) and a bidi override, escaped in the message.
    #expect(
      try Self.withID("P\u{0415}\u{0308}") == [
        "p.toml:9:6: E-POLICY-VALUE: policy.id: 'P\u{0415}\u{0308}' holds U+0308, which a code "
          + "may not contain (E-ID-INVALID)"
      ])
    #expect(
      try Self.withID("P\u{202E}1") == [
        "p.toml:9:6: E-POLICY-VALUE: policy.id: 'P\\u{202E}1' holds U+202E, which a code may not "
          + "contain (E-ID-INVALID)"
      ])
  }
}
