import DemoData
import Foundation
import Policy
import PolicyFormat
import PostgresClient
import Pricing
import RebateCore
import RebateStore

extension CLI {
  /// Policies and dealer terms in the database, quotes and the invoice audit (docs/sales.md).
  static let termsCommands: [Command] = [
    policyLoadCommand, termsIssueCommand, termsApproveCommand, termsShowCommand,
    termsImportCommand, termsSampleCommand, quoteCommand, invoicesAuditCommand,
  ]

  static let termsSampleCommand = Command(
    ["terms", "sample"], usage: "rebate terms sample --seed N [--scale S] --out FILE",
    summary: "write the sample dealers' terms (of demo-data with the same seed) as a terms file"
  ) { arguments, context in
    let seedText = try arguments.required("seed")
    let scale = try count(&arguments, "scale", default: 1, range: 1...SamplePlan.maxScale)
    let file = try arguments.required("out")
    try arguments.finish()
    guard let seed = UInt64(seedText) else { throw CLIError.usage("--seed takes a whole number") }
    let plan: SamplePlan
    do { plan = try SamplePlan(seed: seed, scale: scale) } catch {
      throw CLIError.usage("\(error)")
    }
    let lines = SampleTerms.lines(plan)
    guard
      FileManager.default.createFile(
        atPath: file, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
    else { throw CLIError(code: "E-TERMS-FILE", message: "cannot write \(file)") }
    context.console.print("\(file): terms of \(lines.count - 1) rows")
    return 0
  }

  static let termsIssueCommand = Command(
    ["terms", "issue"],
    usage:
      "rebate terms issue --dealer D --policy P --tier T [--extra-discount 2%] [--from DATE] "
      + "--by USER",
    summary: "issue a new version of a dealer's terms (above the approval level: pending)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let request = try TermsRequest(&arguments, today: today(context))
    let user = try arguments.requiredIdentifier("by")
    try arguments.finish()
    return try withTermsStore(url, context) { store in
      let stored = try DealerTermsStore.issue(
        dealer: request.dealer, policyID: request.policyID, tier: request.tier,
        extraDiscount: request.extraDiscount, effectiveFrom: request.effectiveFrom, by: user,
        at: context.now(), store: store)
      context.console.print(issuedText(stored))
      return 0
    }
  }

  static let termsApproveCommand = Command(
    ["terms", "approve"],
    usage: "rebate terms approve --dealer D --version N --by USER [--database URL]",
    summary: "approve pending terms (someone other than the issuer)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let version = try count(&arguments, "version", default: 0, range: 1...Int(Int32.max))
    let user = try arguments.requiredIdentifier("by")
    try arguments.finish()
    return try withTermsStore(url, context) { store in
      let stored = try DealerTermsStore.approve(
        dealer: dealer, version: version, by: user, at: context.now(), store: store)
      context.console.print(
        "\(dealer) terms v\(version) approved by \(user) (issued by \(stored.terms.issuedBy)); "
          + "in force from \(stored.terms.effectiveFrom)")
      return 0
    }
  }

  static let termsShowCommand = Command(
    ["terms", "show"],
    usage: "rebate terms show --dealer D [--date DATE] [--format text|html] [--database URL]",
    summary: "the dealer's terms sheet on a date (text: with every version, who and when)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let day = try dayOption(&arguments, "date") ?? today(context)
    let format = try arguments.option("format") ?? "text"
    guard format == "text" || format == "html" else {
      throw CLIError.usage("--format must be text or html")
    }
    try arguments.finish()
    return try withTermsStore(url, context) { store in
      let connection = store.connection
      let attributes = try DealerAttributes.read(dealer, on: connection)
      let history = try DealerTermsStore.history(dealer: dealer, on: connection)
      if format == "text" { context.console.write(historyText(dealer, history)) }
      guard let terms = TermsDesk.inForce(history.map(\.terms), dealer: dealer, on: day) else {
        throw TermsStoreError.noTermsInForce(dealer: dealer, day: day)
      }
      let policy = try PolicyVersionStore.version(
        id: terms.policyID, version: terms.policyVersion, on: connection)
      let sheet: TermsSheet
      do {
        sheet = try TermsSheet(
          policy: policy, terms: terms, segment: attributes.segment, region: attributes.region,
          paymentTerms: attributes.paymentTerms)
      } catch let error as PricingError {
        throw TermsStoreError.rule(code: error.code, description: error.description)
      }
      if format == "text" {
        context.console.print("")
        context.console.print("In force on \(day): v\(terms.version)")
        context.console.write(sheet.plainText)
      } else {
        context.console.write(sheet.html)
      }
      return 0
    }
  }

  /// `dealer,policy,tier,extra_discount,effective_from` rows issued in one transaction: every row
  /// valid or nothing is issued. A row equal to the dealer's latest version is left alone, so
  /// importing the same file twice changes nothing.
  static let termsImportCommand = Command(
    ["terms", "import"], usage: "rebate terms import FILE.csv --by USER [--database URL]",
    summary: "issue many dealers' terms from a CSV file (all or nothing; same file again: no-op)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let file = try arguments.positional("terms file")
    let user = try arguments.requiredIdentifier("by")
    try arguments.finish()
    let (rows, problems) = TermsImport.parse(try readTermsFile(file), file: file)
    for problem in problems { context.console.print(problem) }
    guard problems.isEmpty else {
      context.console.error("\(file): \(problems.count) problem(s); nothing was issued")
      return 1
    }
    return try withTermsStore(url, context) { store in
      let outcome = try TermsImport.issue(
        rows, file: file, by: user, at: context.now(), store: store)
      for problem in outcome.problems { context.console.print(problem) }
      guard outcome.problems.isEmpty else {
        context.console.error("\(file): \(outcome.problems.count) problem(s); nothing was issued")
        return 1
      }
      context.console.print(outcome.summary(file: file))
      return 0
    }
  }

  static func issuedText(_ stored: StoredTerms) -> String {
    let terms = stored.terms
    let head =
      "\(terms.dealer) terms v\(terms.version): \(terms.policyID) v\(terms.policyVersion), "
      + "tier \(terms.tier), extra discount \(Percent.text(terms.extraDiscount)), "
      + "effective \(terms.effectiveFrom), issued by \(terms.issuedBy)"
    guard stored.approval == "pending" else { return head + "; approved (within the limit)" }
    return head + "; PENDING approval (above the policy's approval level): another person runs "
      + "'rebate terms approve --dealer \(terms.dealer) --version \(terms.version) --by USER'"
  }

  static func historyText(_ dealer: String, _ history: [StoredTerms]) -> String {
    var out = "Terms of \(dealer): \(history.count) version(s)\n"
    for stored in history {
      let terms = stored.terms
      var line =
        "  v\(terms.version)  from \(terms.effectiveFrom)  \(terms.policyID) "
        + "v\(terms.policyVersion)  \(terms.tier)  extra \(Percent.text(terms.extraDiscount))  "
        + "issued by \(terms.issuedBy) at \(stored.issuedAt)  \(stored.approval)"
      if let approver = terms.approvedBy, let at = stored.approvedAt {
        line += " by \(approver) at \(at)"
      }
      out += line + "\n"
    }
    return out
  }

  static func readTermsFile(_ file: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: file),
      let text = String(data: data, encoding: .utf8)
    else { throw CLIError(code: "E-TERMS-FILE", message: "cannot read \(file) as UTF-8 text") }
    return text
  }

  static func today(_ context: Context) throws -> Day {
    try parsed("the clock", String(context.now().prefix(10)), Day.parse)
  }

  static func dayOption(_ arguments: inout Arguments, _ name: String) throws -> Day? {
    try arguments.option(name).map { try parsed("--\(name)", $0, Day.parse) }
  }

  /// One connection with an auditing store; the store's refusals become CLI errors.
  static func withTermsStore(
    _ url: String, _ context: Context, _ body: (PostgresStore) throws -> Int32
  ) throws -> Int32 {
    let connection = try Connection(url)
    defer { connection.close() }
    let store = PostgresStore(
      connection: connection, now: context.now, newID: { UUID().uuidString.lowercased() })
    do {
      return try body(store)
    } catch let error as TermsStoreError {
      throw CLIError(code: error.code, message: error.message)
    } catch let error as StoreError {
      throw CLIError(
        code: error.code, message: String(error.description.dropFirst(error.code.count + 2)))
    }
  }
}

/// The fields of `terms issue` that a terms file row also carries.
struct TermsRequest {
  let dealer: String
  let policyID: String
  let tier: String
  let extraDiscount: ExactDecimal
  let effectiveFrom: Day

  init(_ arguments: inout Arguments, today: Day) throws {
    dealer = try arguments.requiredIdentifier("dealer")
    policyID = try arguments.requiredIdentifier("policy")
    tier = try arguments.required("tier")
    extraDiscount = try Self.percent(try arguments.option("extra-discount") ?? "0%")
    effectiveFrom = try CLI.dayOption(&arguments, "from") ?? today
  }

  static func percent(_ text: String) throws -> ExactDecimal {
    switch Percent.parse(text) {
    case .success(let value): return value
    case .failure(let error):
      throw CLIError.usage("--extra-discount '\(text)': \(error.reason)")
    }
  }
}
