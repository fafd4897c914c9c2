import Foundation
import Testing

/// The error catalogue (docs/errors.md) is kept honest by reading the repository itself, as
/// hledger does: every error the engine can emit is documented, every documented error is
/// emitted, and every error is reproduced by a test.
///
/// What counts, and why:
/// - A code looks like `E-AREA-NAME` (or the single-word `E-USAGE`): `E-` then upper-case words
///   joined by `-`. Patterns such as `E-TERMS-*` in prose are not codes.
/// - Emitted: the code is inside a string literal of `Sources/**/*.swift`, or in a
///   `RAISE EXCEPTION` of `schema/*.sql` (the database raises E-DB-PERIOD-CLOSED and friends).
///   `E-AREA-NAME`, the placeholder in the catalogue's own rule, is not a code.
/// - Documented: the first cell of a table row of docs/errors.md. Every other full code the page
///   mentions must be one of those rows too, so prose cannot name a code that does not exist.
/// - Reproduced: a test compares against the code. That is, the code appears
///   - in an expected-output line of a golden file `Tests/golden/**/*.test` (not a `#` comment),
///   - in a `.expected` file of a bad-file corpus under `Tests/`, or
///   - in a line of a Swift test under `Tests/` (this file excluded) that is an assertion: the
///     line, comments removed, contains `#expect`, `#require` or `==`, or
///   - as a string literal that is exactly the code (`"E-API-JSON"`) in a Swift test outside a
///     comment: the expected value of a table of cases that a loop asserts.
///   A code named only in a comment, in prose or in a test's name reproduces nothing.
/// - `notYetReproduced` is a ratchet, not an exemption: the codes on it are listed in
///   docs/errors.md as owed a test, and the list may only shrink (a code on it that gains a test
///   fails `theRatchetOnlyShrinks` until it is removed).
@Suite struct ErrorCatalogueTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let placeholders: Set<String> = ["E-AREA-NAME"]
  static let catalogue = "docs/errors.md"
  /// Codes still owed a reproducing test (HTTP and API internals that need a live server, and
  /// E-POLICY-TOO-LARGE, which no input reaches); see "Not yet reproduced" in docs/errors.md.
  static let notYetReproduced: Set<String> = [
    "E-API-DB-BUSY", "E-HTTP-PRINCIPAL", "E-HTTP-SHUTTING-DOWN", "E-HTTP-TOKEN-RANDOM",
    "E-POLICY-TOO-LARGE",
  ]

  @Test func everyEmittedCodeIsDocumented() throws {
    let missing = try Self.emitted().subtracting(Self.documented()).sorted()
    #expect(
      missing.isEmpty, "emitted in Sources/ or schema/ but not in \(Self.catalogue): \(missing)")
  }

  @Test func everyDocumentedCodeIsEmitted() throws {
    let stale = try Self.documented().subtracting(Self.emitted()).sorted()
    #expect(stale.isEmpty, "documented in \(Self.catalogue) but emitted nowhere: \(stale)")
  }

  @Test func theCataloguePageNamesOnlyDocumentedCodes() throws {
    let text = try Self.read(Self.catalogue)
    let unknown = Self.codes(in: text).subtracting(try Self.documented()).subtracting(
      Self.placeholders
    ).sorted()
    #expect(unknown.isEmpty, "\(Self.catalogue) mentions codes that have no row: \(unknown)")
  }

  @Test func everyDocumentedCodeIsReproducedByATest() throws {
    let missing = try Self.documented().subtracting(Self.reproduced())
      .subtracting(Self.notYetReproduced).sorted()
    #expect(missing.isEmpty, "no test asserts these codes (\(missing.count)): \(missing)")
  }

  @Test func theRatchetOnlyShrinks() throws {
    let documented = try Self.documented()
    let reproducedNow = Self.notYetReproduced.intersection(try Self.reproduced()).sorted()
    #expect(reproducedNow.isEmpty, "reproduced now: remove from notYetReproduced: \(reproducedNow)")
    let unknown = Self.notYetReproduced.subtracting(documented).sorted()
    #expect(unknown.isEmpty, "not documented codes in notYetReproduced: \(unknown)")
    let text = try Self.read(Self.catalogue)
    let section = text.components(separatedBy: "## Not yet reproduced").last ?? ""
    let unlisted = Self.notYetReproduced.subtracting(Self.codes(in: section)).sorted()
    #expect(unlisted.isEmpty, "owed tests missing from the catalogue's last section: \(unlisted)")
  }

  /// The matcher must see codes where they are and only there; the rule above depends on it.
  @Test func theCodePatternFindsCodesAndNothingElse() {
    #expect(
      Self.codes(in: "x (E-IMPORT-REQUIRED) and E-USAGE: y") == ["E-IMPORT-REQUIRED", "E-USAGE"])
    #expect(Self.codes(in: "E-TERMS-*, E-SELLOUT-..., E1-E3, RE-DO, E-").isEmpty)
    #expect(Self.isAssertion("  #expect(error.code == \"E-X-Y\")  // why"))
    #expect(!Self.isAssertion("  // #expect(error.code == \"E-X-Y\")"))
    #expect(!Self.isAssertion("  @Test func reproducesEXY() {  // E-X-Y"))
    #expect(Self.codes(in: "E-X-Y") == ["E-X-Y"])
  }

  // MARK: Reading the repository

  static func emitted() throws -> Set<String> {
    var codes: Set<String> = []
    for path in try files(under: "Sources", suffix: ".swift") {
      for line in try read(path).split(separator: "\n") {
        for literal in matches(of: #""(?:[^"\\]|\\.)*""#, in: String(line)) {
          codes.formUnion(self.codes(in: literal))
        }
      }
    }
    for path in try files(under: "schema", suffix: ".sql") {
      for line in try read(path).split(separator: "\n") where line.contains("RAISE EXCEPTION") {
        codes.formUnion(self.codes(in: String(line)))
      }
    }
    return codes.subtracting(placeholders)
  }

  static func documented() throws -> Set<String> {
    var codes: Set<String> = []
    for line in try read(catalogue).split(separator: "\n") where line.hasPrefix("|") {
      let firstCell = line.dropFirst().prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
      if self.codes(in: firstCell) == [firstCell] { codes.insert(firstCell) }
    }
    return codes
  }

  static func reproduced() throws -> Set<String> {
    var codes: Set<String> = []
    for path in try files(under: "Tests/golden", suffix: ".test") {
      for line in try read(path).split(separator: "\n") where !line.hasPrefix("#") {
        codes.formUnion(self.codes(in: String(line)))
      }
    }
    for path in try files(under: "Tests", suffix: ".expected") {
      codes.formUnion(self.codes(in: try read(path)))
    }
    for path in try files(under: "Tests", suffix: ".swift")
    where !path.hasSuffix("/ErrorCatalogueTests.swift") {
      for line in try read(path).split(separator: "\n") {
        let code = line.components(separatedBy: "//").first ?? ""
        if isAssertion(String(line)) { codes.formUnion(self.codes(in: code)) }
        for literal in matches(of: #""E-[A-Z0-9-]+""#, in: code) {
          let inner = String(literal.dropFirst().dropLast())
          if self.codes(in: inner) == [inner] { codes.insert(inner) }
        }
      }
    }
    return codes
  }

  /// A Swift line that compares: an `#expect`, a `#require` or an `==`, outside a comment.
  static func isAssertion(_ line: String) -> Bool {
    let code = line.components(separatedBy: "//").first ?? ""
    return code.contains("#expect") || code.contains("#require") || code.contains("==")
  }

  static func codes(in text: String) -> Set<String> {
    Set(matches(of: #"(?<![A-Za-z0-9-])E-[A-Z0-9]+(?:-[A-Z0-9]+)*(?![A-Za-z0-9*-])"#, in: text))
  }

  static func matches(of pattern: String, in text: String) -> [String] {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
    let range = NSRange(text.startIndex..., in: text)
    return regex.matches(in: text, range: range).compactMap { match in
      Range(match.range, in: text).map { String(text[$0]) }
    }
  }

  static func files(under folder: String, suffix: String) throws -> [String] {
    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(atPath: base.path) else {
      throw CatalogueError(reason: "\(folder): cannot list")
    }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted()
      .map { "\(folder)/\($0)" }
  }

  static func read(_ path: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
  }

  struct CatalogueError: Error { let reason: String }
}
