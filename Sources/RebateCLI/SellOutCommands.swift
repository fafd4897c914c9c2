import DemoData
import Foundation
import PostgresClient
import RebateCore
import RebateStore
import SellOut

extension CLI {
  /// `rebate sellout ...` and `rebate inventory` (docs/dealers-sellout.md).
  static let sellOutCommands: [Command] = [
    sellOutSubmit, sellOutStatus, sellOutMap, sellOutCodes, sellOutReturns, inventoryCommand,
    sellOutSamples,
  ]

  static let sellOutSubmit = Command(
    ["sellout", "submit"],
    usage:
      "rebate sellout submit --dealer D --month YYYY-MM FILE [--at TIME] [--by USER] "
      + "[--database URL]",
    summary: "store a dealer's monthly sell-out file as its next version, or list every error"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let month = try monthOption(try arguments.required("month"))
    let submittedAt = try submissionTime(try arguments.option("at") ?? context.now())
    let user = try arguments.identifier("by") ?? context.environment["USER"] ?? "cli"
    let path = try arguments.positional("FILE")
    try arguments.finish()
    let bytes = try readSellOutFile(path)
    let connection = try Connection(url)
    defer { connection.close() }
    do {
      let receipt = try storeCall {
        try SellOutStore(connection: connection).submit(
          dealer: dealer, month: month, bytes: bytes, submittedAt: submittedAt, by: user)
      }
      context.console.print(receiptText(receipt, path: path))
      return 0
    } catch let rejection as SellOutRejection {
      for error in rejection.errors { context.console.error(errorLine(error, path: path)) }
      if rejection.unlistedErrorCount > 0 {
        context.console.error("\(path): and \(rejection.unlistedErrorCount) more errors")
      }
      let total = rejection.errors.count + rejection.unlistedErrorCount
      context.console.error(
        "E-SELLOUT-REJECTED: \(path): \(total) error\(total == 1 ? "" : "s"); nothing stored, "
          + "fix the file and send it again")
      return 1
    }
  }

  static let sellOutStatus = Command(
    ["sellout", "status"],
    usage: "rebate sellout status --dealer D [--through YYYY-MM] [--due-day N] [--database URL]",
    summary: "a dealer's monthly reports: versions, on time or late, lines, data quality"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let through =
      try arguments.option("through").map(monthOption)
      ?? Period.containing(try Day.parse(String(context.now().prefix(10))), grain: .month).previous
    let dueText = try arguments.option("due-day") ?? "10"
    try arguments.finish()
    guard let dueDay = Int(dueText), (1...31).contains(dueDay) else {
      throw CLIError.usage("--due-day takes a day of the month, 1...31")
    }
    let connection = try Connection(url)
    defer { connection.close() }
    let statuses = try storeCall {
      try SellOutStore(connection: connection).status(
        dealer: dealer, through: through, dueDayOfNextMonth: dueDay)
    }
    context.console.print(
      "sell-out reports of \(dealer) through \(through) (due day \(dueDay) of the next month)")
    if statuses.isEmpty { context.console.print("  no reports received") }
    for status in statuses { statusLines(status).forEach { context.console.print($0) } }
    return 0
  }

  static let sellOutMap = Command(
    ["sellout", "map"],
    usage:
      "rebate sellout map --dealer D --column NAME --as date|sku|quantity|resale_price|none "
      + "[--database URL]",
    summary: "agree a dealer's own column name for a sell-out field (none removes it)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let column = try arguments.required("column")
    let fieldText = try arguments.required("as")
    try arguments.finish()
    var field: SellOutField? = nil
    if fieldText != "none" {
      guard let known = SellOutField(rawValue: fieldText) else {
        let error = SellOutStoreError.unknownField(fieldText)
        throw CLIError(code: error.code, message: error.message, exitCode: 2)
      }
      field = known
    }
    guard !column.isEmpty, column.utf8.count <= 256 else {
      throw CLIError.usage("--column takes a header name of 1 to 256 bytes")
    }
    let connection = try Connection(url)
    defer { connection.close() }
    let store = SellOutStore(connection: connection)
    try storeCall { try store.mapColumn(dealer: dealer, header: column, to: field) }
    for mapping in try store.columnMappings(dealer: dealer) {
      context.console.print("\(dealer): column '\(mapping.header)' → \(mapping.field)")
    }
    return 0
  }

  static let sellOutCodes = Command(
    ["sellout", "codes"],
    usage: "rebate sellout codes --dealer D FILE.csv [--database URL]",
    summary: "replace a dealer's product-code cross-reference (dealer_code,sku per line)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let path = try arguments.positional("FILE.csv")
    try arguments.finish()
    let pairs = try readCodeList(path)
    let connection = try Connection(url)
    defer { connection.close() }
    do {
      let count = try storeCall {
        try SellOutStore(connection: connection).replaceCodes(
          dealer: dealer, file: path, pairs: pairs)
      }
      context.console.print(
        "\(dealer): \(count) product codes from \(path) replace the earlier list")
      return 0
    } catch let problems as SellOutCodeProblems {
      problems.problems.forEach { context.console.error($0.description) }
      context.console.error("E-SELLOUT-CODE-LIST: \(path): nothing changed")
      return 1
    }
  }

  static let sellOutReturns = Command(
    ["sellout", "returns"],
    usage: "rebate sellout returns --dealer D yes|no [--database URL]",
    summary: "allow (or refuse) zero and negative quantities in a dealer's sell-out files"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let answer = try arguments.positional("yes|no")
    try arguments.finish()
    guard answer == "yes" || answer == "no" else { throw CLIError.usage("answer yes or no") }
    let connection = try Connection(url)
    defer { connection.close() }
    try storeCall {
      try SellOutStore(connection: connection).setAllowsReturns(dealer: dealer, answer == "yes")
    }
    context.console.print(
      "\(dealer): sell-out returns \(answer == "yes" ? "allowed" : "not allowed")")
    return 0
  }

  static let inventoryCommand = Command(
    ["inventory"],
    usage: "rebate inventory --dealer D --date YYYY-MM-DD [--sku S] [--database URL]",
    summary: "a dealer's channel inventory at the start of a day, layer by layer (FIFO)"
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let dealer = try arguments.requiredIdentifier("dealer")
    let dateText = try arguments.required("date")
    let sku = try arguments.identifier("sku")
    try arguments.finish()
    guard let day = try? Day.parse(dateText) else {
      throw CLIError.usage("--date takes a day, YYYY-MM-DD")
    }
    let connection = try Connection(url)
    defer { connection.close() }
    let stock = try storeCall {
      try SellOutStore(connection: connection).inventory(dealer: dealer, on: day, sku: sku)
    }
    inventoryLines(stock, dealer: dealer, day: day).forEach { context.console.print($0) }
    return 0
  }

  /// Writes the sample files and `submit.tsv` (dealer, month, day, file, errors?) in the order
  /// the demo sends them, plus `codes-DEALER.csv` for the dealer with its own product codes.
  static let sellOutSamples = Command(
    ["sellout", "samples"], usage: "rebate sellout samples --seed N [--scale S] --out DIR",
    summary: "write sample sell-out files of the sample data set's first dealers"
  ) { arguments, context in
    let seedText = try arguments.required("seed")
    let scaleText = try arguments.option("scale") ?? "1"
    let directory = try arguments.required("out")
    try arguments.finish()
    guard let seed = UInt64(seedText), let scale = Int(scaleText) else {
      throw CLIError.usage("--seed and --scale take whole numbers")
    }
    let plan: SamplePlan
    do { plan = try SamplePlan(seed: seed, scale: scale) } catch {
      throw CLIError.usage("\(error)")
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var manifest = ""
    var files = 0
    var failure: Error?
    func write(_ name: String, _ text: String) {
      guard failure == nil else { return }
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
      } catch { failure = error }
    }
    SellOutSamples.codeLists(plan) { dealer, text in write("codes-\(dealer).csv", text) }
    SellOutSamples.generate(plan) { sample in
      write(sample.fileName, sample.text)
      manifest +=
        "\(sample.dealer)\t\(sample.month)\t\(sample.submittedOn)\t\(sample.fileName)\t"
        + (sample.hasErrors ? "errors" : "ok") + "\n"
      files += 1
    }
    write("submit.tsv", manifest)
    if let failure {
      throw CLIError(code: "E-FILE-WRITE", message: "\(directory): \(failure)")
    }
    context.console.print("\(directory): \(files) sell-out files, submit.tsv, codes")
    return 0
  }
}
