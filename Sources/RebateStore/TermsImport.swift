import Policy
import PolicyFormat
import PostgresClient
import RebateCore

/// One row of a terms file: what `rebate terms issue` takes for one dealer.
public struct TermsFileRow: Sendable, Hashable {
  public let line: Int
  public let dealer: String
  public let policyID: String
  public let tier: String
  public let extraDiscount: ExactDecimal
  public let effectiveFrom: Day

  /// Whether `terms` already say what this row says (then importing it again changes nothing).
  func matches(_ terms: DealerTerms) -> Bool {
    terms.policyID == policyID && terms.tier == tier && terms.extraDiscount == extraDiscount
      && terms.effectiveFrom == effectiveFrom
  }
}

/// What importing a terms file did, or every problem that stopped it.
public struct TermsImportOutcome: Sendable {
  public var problems: [String] = []
  public var issued: [StoredTerms] = []
  public var unchanged = 0

  public func summary(file: String) -> String {
    let pending = issued.filter { $0.approval == "pending" }
    var text =
      "\(TermsImport.name(file)): \(issued.count + unchanged) rows: \(issued.count) issued "
      + "(\(issued.count - pending.count) approved, \(pending.count) pending approval), "
      + "\(unchanged) unchanged"
    if !pending.isEmpty {
      text +=
        "\npending approval: "
        + pending.map { "\($0.terms.dealer) v\($0.terms.version)" }.joined(separator: ", ")
    }
    return text
  }
}

/// Terms files (docs/sales.md): a CSV with the header `dealer,policy,tier,extra_discount,
/// effective_from`, one dealer per row, plain values (no quoting: codes, percentages, dates).
/// A file is issued whole or not at all.
public enum TermsImport {
  public static let header = "dealer,policy,tier,extra_discount,effective_from"
  /// A network of 10,000 dealers with a few versions each fits many times over.
  public static let maxRows = 100_000

  static func name(_ file: String) -> String { String(file.split(separator: "/").last ?? "") }

  /// The rows of `text`, or every problem found (line, column, value, reason).
  public static func parse(_ text: String, file: String) -> ([TermsFileRow], [String]) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    if lines.last == "" { lines.removeLast() }
    let place = name(file)
    guard lines.first == header else {
      return ([], ["\(place):1: the header must be '\(header)' (E-TERMS-FILE)"])
    }
    guard lines.count - 1 <= maxRows else {
      return ([], ["\(place): more than \(maxRows) rows; split the file (E-TERMS-FILE)"])
    }
    var rows: [TermsFileRow] = []
    var problems: [String] = []
    for (index, line) in lines.enumerated().dropFirst() {
      switch row(line, number: index + 1) {
      case .success(let row): rows.append(row)
      case .failure(let problem): problems.append("\(place):\(index + 1): \(problem.text)")
      }
    }
    return (rows, problems)
  }

  struct Problem: Error { let text: String }

  static func row(_ line: String, number: Int) -> Result<TermsFileRow, Problem> {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 5 else {
      return .failure(Problem(text: "expected 5 fields, found \(fields.count) (E-TERMS-FILE)"))
    }
    for (column, value) in zip(header.split(separator: ","), fields)
    where value.isEmpty && column != "extra_discount" {
      return .failure(Problem(text: "column \(column): is required (E-TERMS-FILE)"))
    }
    let extra: ExactDecimal
    switch Percent.parse(fields[3].isEmpty ? "0%" : fields[3]) {
    case .success(let value): extra = value
    case .failure(let error):
      return .failure(
        Problem(
          text: "column extra_discount: value '\(fields[3])': \(error.reason) (E-TERMS-FILE)"))
    }
    guard let day = try? Day.parse(fields[4]) else {
      return .failure(
        Problem(
          text: "column effective_from: value '\(fields[4])': is not a date YYYY-MM-DD that "
            + "exists (E-TERMS-FILE)"))
    }
    return .success(
      TermsFileRow(
        line: number, dealer: fields[0], policyID: fields[1], tier: fields[2],
        extraDiscount: extra, effectiveFrom: day))
  }

  /// Issues every row in one transaction; any refused row rolls the whole file back. A row equal
  /// to one of the dealer's versions (same policy, tier, extra discount and start) is unchanged.
  public static func issue(
    _ rows: [TermsFileRow], file: String, by user: String, at now: String, store: PostgresStore
  ) throws -> TermsImportOutcome {
    struct Refused: Error { let outcome: TermsImportOutcome }
    do {
      return try store.connection.transaction(purpose: "import terms \(file)") { connection in
        var outcome = TermsImportOutcome()
        for row in rows {
          let history = try DealerTermsStore.history(dealer: row.dealer, on: connection)
          if history.contains(where: { row.matches($0.terms) }) {
            outcome.unchanged += 1
            continue
          }
          do {
            outcome.issued.append(
              try DealerTermsStore.issue(
                dealer: row.dealer, policyID: row.policyID, tier: row.tier,
                extraDiscount: row.extraDiscount, effectiveFrom: row.effectiveFrom, by: user,
                at: now, store: store))
          } catch let error as TermsStoreError {
            outcome.problems.append("\(name(file)):\(row.line): \(error.message) (\(error.code))")
          }
        }
        if !outcome.problems.isEmpty { throw Refused(outcome: outcome) }
        return outcome
      }
    } catch let refused as Refused {
      return refused.outcome
    }
  }
}
