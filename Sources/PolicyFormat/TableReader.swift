import RebateCore

/// Typed access to one table of a policy file. Every accessor reports what is wrong (missing,
/// wrong type, out of range) to the shared `ProblemLog` with the key path and place, and returns
/// nil so decoding carries on and collects every problem. `finish()` reports the keys nobody
/// asked for: a typo is an error, never silently ignored.
public final class TableReader {
  public let table: DocumentTable
  public let path: String
  public let log: ProblemLog
  private var asked: [String] = []

  public init(_ table: DocumentTable, path: String, log: ProblemLog) {
    self.table = table
    self.path = path
    self.log = log
  }

  public var location: SourceLocation { table.location }

  public func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

  /// Reports a problem about `key` of this table (at the key's value when it is present).
  public func problem(_ code: PolicyProblem.Code, _ key: String, _ reason: String) {
    let place = table[key]?.location ?? location
    log.report(code, at: place, path: keyPath(key), reason)
  }

  public func has(_ key: String) -> Bool {
    note(key)
    return table[key] != nil
  }

  private func note(_ key: String) {
    if !asked.contains(key) { asked.append(key) }
  }

  public func value(_ key: String, required: Bool) -> DocumentValue? {
    note(key)
    guard let value = table[key] else {
      if required {
        log.report(
          .missingKey, at: location, path: keyPath(key), "required key '\(key)' is missing")
      }
      return nil
    }
    if case .invalid = value.kind { return nil }
    return value
  }

  private func mismatch(_ key: String, _ value: DocumentValue, expected: String) {
    log.report(
      .type, at: value.location, path: keyPath(key),
      "expected \(expected), found \(value.typeName)")
  }

  public func string(_ key: String, required: Bool = true) -> String? {
    guard let value = value(key, required: required) else { return nil }
    guard case .string(let text) = value.kind else {
      mismatch(key, value, expected: "a string")
      return nil
    }
    guard !text.isEmpty else {
      problem(.value, key, "must not be empty")
      return nil
    }
    return text
  }

  public func integer(_ key: String, required: Bool = true, in range: ClosedRange<Int64>)
    -> Int64?
  {
    guard let value = value(key, required: required) else { return nil }
    guard case .integer(let number) = value.kind else {
      mismatch(key, value, expected: "an integer")
      return nil
    }
    guard range.contains(number) else {
      problem(.value, key, "\(number) is outside \(range.lowerBound)...\(range.upperBound)")
      return nil
    }
    return number
  }

  public func decimal(_ key: String, required: Bool = true) -> ExactDecimal? {
    guard let value = value(key, required: required) else { return nil }
    switch value.kind {
    case .decimal(let number): return number
    case .integer(let number): return ExactDecimal(units: Int128(number), scale: 0)
    default:
      mismatch(key, value, expected: "a number")
      return nil
    }
  }

  /// An amount in the book currency: a number with at most two decimals, `150.00` or `150`.
  public func money(_ key: String, required: Bool = true, allowNegative: Bool = false) -> Money? {
    guard let number = decimal(key, required: required) else { return nil }
    guard number.scale <= Money.minorDigits else {
      problem(.value, key, "\(number) has more than \(Money.minorDigits) decimals for money")
      return nil
    }
    guard allowNegative || !number.isNegative else {
      problem(.value, key, "\(number) must not be negative")
      return nil
    }
    guard let amount = try? Money(exact: number) else {
      problem(.value, key, "\(number) is too large for an amount")
      return nil
    }
    return amount
  }

  /// A percentage string (`"20%"`) as an exact fraction within `range` (fractions, 1 = 100 %).
  public func percent(
    _ key: String, required: Bool = true,
    in range: ClosedRange<ExactDecimal> = .zero...ExactDecimal.one
  ) -> ExactDecimal? {
    guard let value = value(key, required: required) else { return nil }
    guard case .string(let text) = value.kind else {
      mismatch(key, value, expected: "a percentage string like \"20%\"")
      return nil
    }
    switch Percent.parse(text) {
    case .failure(let error):
      problem(.value, key, error.reason)
      return nil
    case .success(let fraction):
      guard range.contains(fraction) else {
        problem(
          .value, key,
          "\(text) is outside \(Percent.text(range.lowerBound))...\(Percent.text(range.upperBound))"
        )
        return nil
      }
      return fraction
    }
  }

  public func boolean(_ key: String, required: Bool = true) -> Bool? {
    guard let value = value(key, required: required) else { return nil }
    guard case .boolean(let flag) = value.kind else {
      mismatch(key, value, expected: "true or false")
      return nil
    }
    return flag
  }

  public func day(_ key: String, required: Bool = true) -> Day? {
    guard let value = value(key, required: required) else { return nil }
    guard case .date(let day) = value.kind else {
      mismatch(key, value, expected: "a date like 2026-07-01 (no quotes)")
      return nil
    }
    return day
  }

  /// One of a fixed set of words, e.g. `mode = "per_unit"`.
  public func choice<Choice: RawRepresentable & CaseIterable>(
    _ key: String, required: Bool = true
  ) -> Choice? where Choice.RawValue == String {
    guard let text = string(key, required: required) else { return nil }
    guard let choice = Choice(rawValue: text) else {
      let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
      problem(.value, key, "'\(text)' is not one of \(allowed)")
      return nil
    }
    return choice
  }

  /// A non-empty array of distinct strings, e.g. `tier = ["Gold", "Silver"]`.
  public func strings(_ key: String, required: Bool = false, maximumCount: Int = 10_000)
    -> [String]?
  {
    guard let value = value(key, required: required) else { return nil }
    guard case .array(let items) = value.kind else {
      mismatch(key, value, expected: "an array of strings like [\"Gold\"]")
      return nil
    }
    guard !items.isEmpty else {
      problem(.value, key, "must list at least one value (leave the key out to match all)")
      return nil
    }
    guard items.count <= maximumCount else {
      problem(.limit, key, "lists \(items.count) values; at most \(maximumCount) are allowed")
      return nil
    }
    var texts: [String] = []
    for (position, item) in items.enumerated() {
      guard case .string(let text) = item.kind, !text.isEmpty else {
        log.report(
          .type, at: item.location, path: "\(keyPath(key))[\(position + 1)]",
          "expected a non-empty string, found \(item.typeName)")
        return nil
      }
      guard !texts.contains(text) else {
        log.report(
          .duplicate, at: item.location, path: "\(keyPath(key))[\(position + 1)]",
          "'\(text)' is listed twice")
        return nil
      }
      texts.append(text)
    }
    return texts
  }

  public func table(_ key: String, required: Bool = true) -> TableReader? {
    guard let value = value(key, required: required) else { return nil }
    guard case .table(let child) = value.kind else {
      mismatch(key, value, expected: "a table [\(keyPath(key))]")
      return nil
    }
    return TableReader(child, path: keyPath(key), log: log)
  }

  /// An array of tables (`[[cascade.step]]` or inline `[{...}, {...}]`); positions count from 1.
  public func tables(_ key: String, required: Bool = true, maximumCount: Int) -> [TableReader] {
    guard let value = value(key, required: required) else { return [] }
    guard case .array(let items) = value.kind else {
      mismatch(key, value, expected: "an array of tables [[\(keyPath(key))]]")
      return []
    }
    guard items.count <= maximumCount else {
      problem(.limit, key, "has \(items.count) entries; at most \(maximumCount) are allowed")
      return []
    }
    var readers: [TableReader] = []
    for (position, item) in items.enumerated() {
      let itemPath = "\(keyPath(key))[\(position + 1)]"
      guard case .table(let child) = item.kind else {
        log.report(
          .type, at: item.location, path: itemPath, "expected a table, found \(item.typeName)")
        continue
      }
      readers.append(TableReader(child, path: itemPath, log: log))
    }
    return readers
  }

  /// Reports every key of this table that no accessor asked for.
  public func finish() {
    for entry in table.entries where !asked.contains(entry.key) {
      var reason = "unknown key '\(entry.key)'"
      if let suggestion = Self.closest(to: entry.key, in: asked) {
        reason += "; did you mean '\(suggestion)'?"
      } else if !asked.isEmpty {
        reason += "; expected one of: \(asked.joined(separator: ", "))"
      }
      log.report(.unknownKey, at: entry.keyLocation, path: keyPath(entry.key), reason)
    }
  }

  /// The known key within two edits of a typo, if any.
  static func closest(to word: String, in candidates: [String]) -> String? {
    candidates
      .map { ($0, editDistance(Array(word), Array($0))) }
      .filter { $0.1 <= 2 }
      .min { $0.1 < $1.1 }?.0
  }

  static func editDistance(_ left: [Character], _ right: [Character]) -> Int {
    var previous = Array(0...right.count)
    for (i, leftCharacter) in left.enumerated() {
      var current = [i + 1]
      for (j, rightCharacter) in right.enumerated() {
        let substitution = previous[j] + (leftCharacter == rightCharacter ? 0 : 1)
        current.append(min(previous[j + 1] + 1, current[j] + 1, substitution))
      }
      previous = current
    }
    return previous[right.count]
  }
}
