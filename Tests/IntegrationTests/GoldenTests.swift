import Foundation
import PostgresClient
import RebateCLI
import Testing

/// Command-line golden tests, in the manner of hledger's: each `Tests/golden/**/*.test` file holds
/// commands, the output they must print and the exit code they must return. A reviewer reads the
/// file; the test runs it. Format (docs/golden-tests.md):
///
///     # comment
///     $ rebate import dealers Tests/golden/data/dealers.csv
///     >
///     expected standard output, line by line
///     >2
///     expected standard error, line by line
///     >= 0
///
/// Each file runs against its own fresh, migrated database with the clock pinned (see `runCLI`),
/// from the repository root.
struct GoldenCase: CustomTestStringConvertible, Sendable {
  struct Step: Sendable {
    var arguments: [String]
    var line: Int
    var stdout: [String] = []
    var stderr: [String] = []
    var exitCode: Int32 = 0
  }

  let path: String
  let steps: [Step]

  var testDescription: String { path }

  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static func all() -> [GoldenCase] {
    let root = repositoryRoot.appendingPathComponent("Tests/golden")
    let files =
      FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".test") }.sorted() ?? []
    return files.map { relative in
      let text = (try? String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8))
      return GoldenCase(path: "Tests/golden/" + relative, steps: parse(text ?? ""))
    }
  }

  static func parse(_ text: String) -> [Step] {
    enum Block { case none, stdout, stderr }
    var steps: [Step] = []
    var block = Block.none
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      if line.hasPrefix("$ rebate") {
        steps.append(Step(arguments: words(line.dropFirst(8)), line: index + 1))
        block = .none
      } else if line == ">" {
        block = .stdout
      } else if line == ">2" {
        block = .stderr
      } else if line.hasPrefix(">= "), let code = Int32(line.dropFirst(3)) {
        steps[steps.count - 1].exitCode = code
        block = .none
      } else if block == .stdout {
        steps[steps.count - 1].stdout.append(String(line))
      } else if block == .stderr {
        steps[steps.count - 1].stderr.append(String(line))
      }
    }
    return steps
  }

  /// Splits a command line on spaces; single quotes group words.
  static func words(_ text: Substring) -> [String] {
    var words: [String] = []
    var current = ""
    var quoted = false
    var started = false
    for character in text {
      if character == "'" {
        quoted.toggle()
        started = true
      } else if character == " " && !quoted {
        if started { words.append(current) }
        current = ""
        started = false
      } else {
        current.append(character)
        started = true
      }
    }
    if started { words.append(current) }
    return words
  }
}

@Suite struct GoldenTests {
  @Test(arguments: GoldenCase.all())
  func golden(_ golden: GoldenCase) throws {
    #expect(!golden.steps.isEmpty, "\(golden.path) has no '$ rebate' line")
    // Paths in the files are relative to the repository root, where `swift test` runs.
    try #require(
      FileManager.default.fileExists(atPath: "Tests/golden"),
      "run the golden tests from the repository root")
    try TestDatabase.with { database in
      for step in golden.steps {
        let result = runCLI(step.arguments, environment: ["DATABASE_URL": database.conninfo])
        let place = "\(golden.path):\(step.line)"
        #expect(lines(result.out) == step.stdout, "\(place): standard output")
        #expect(lines(result.err) == step.stderr, "\(place): standard error")
        #expect(result.status == step.exitCode, "\(place): exit code")
      }
    }
  }

  private func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}
