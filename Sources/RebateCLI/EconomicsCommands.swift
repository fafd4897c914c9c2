import Economics
import Foundation
import Policy
import PostgresClient
import RebateCore
import RebateStore

extension CLI {
  static let economicsCommands: [Command] = [segmentsCommand, waterfallCommand, trendsCommand]

  static let segmentsCommand = Command(
    ["segments"], usage: "rebate segments --period P [--store] [--database URL]",
    summary: "RFM scores, named segment, payment grade and churn signal of every dealer",
    switches: ["store"]
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let store = arguments.flag("store")
    try arguments.finish()
    return try withEconomicsStore(url) { economics in
      let segments = try Segmentation.segments(try economics.activities(period), period: period)
      if store { try economics.store(segments, period: period) }
      context.console.write(Segmentation.text(segments, period: period))
      if store { context.console.print("stored \(segments.count) segments for \(period)") }
      return 0
    }
  }

  static let waterfallCommand = Command(
    ["waterfall"],
    usage: "rebate waterfall --period P [--dealer D] [--below-floor] [--database URL]",
    summary: "per invoice line: list, on-invoice, off-invoice steps, pocket price and margin",
    switches: ["below-floor"]
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let period = try periodArgument(&arguments)
    let dealer = try arguments.identifier("dealer")
    let belowFloor = arguments.flag("below-floor")
    try arguments.finish()
    return try withCloseStore(url, context) { closeStore in
      let (reference, source) = try closeStore.policySource(period)
      let floor = try marginFloor(source, reference: reference)
      return try withEconomicsStore(url) { economics in
        let waterfall = try Waterfall.rows(
          lines: try economics.waterfallLines(period, dealer: dealer),
          offInvoice: try economics.offInvoiceResults(period, dealer: dealer), minimumMargin: floor)
        let rows = belowFloor ? waterfall.rows.filter(\.belowFloor) : waterfall.rows
        context.console.write(Waterfall.text(rows, period: period, floor: floor))
        for flagged in try Waterfall.dealersBelowFloor(waterfall.rows) {
          context.console.print(
            "below floor: \(flagged.dealer) \(flagged.lines) lines, pocket margin \(flagged.margin.grouped)"
          )
        }
        for result in waterfall.unallocated {
          context.console.print(
            "not allocated (no invoice line in \(period)): \(result.dealer) \(result.mechanic) \(result.amount.grouped)"
          )
        }
        return 0
      }
    }
  }

  static let trendsCommand = Command(
    ["report", "trends"], usage: "rebate report trends [--html] [--database URL]",
    summary: "program cost as % of turnover per closed period and mechanic; bonuses without growth",
    switches: ["html"]
  ) { arguments, context in
    let url = try context.databaseURL(&arguments)
    let html = arguments.flag("html")
    try arguments.finish()
    return try withEconomicsStore(url) { economics in
      let trend = try CostTrends.trend(try economics.closedPeriodCosts())
      context.console.write(html ? trend.html() : trend.text())
      return 0
    }
  }

  /// The policy's minimum margin over cost (`[guardrails] min_margin`), the waterfall's floor.
  static func marginFloor(_ source: String, reference: String) throws -> ExactDecimal? {
    switch PolicyDecoder.decode(source, file: reference) {
    case .success(let policy): return policy.cascade.guardrails.minimumMargin
    case .failure(let problems):
      throw CLIError(code: "E-POLICY-INVALID", message: "stored \(reference):\n\(problems)")
    }
  }

  /// One connection; the pure modules' errors become CLI errors with their stable codes.
  static func withEconomicsStore(_ url: String, _ body: (EconomicsStore) throws -> Int32) throws
    -> Int32
  {
    let connection = try Connection(url)
    defer { connection.close() }
    do {
      return try body(EconomicsStore(connection: connection))
    } catch let error as SegmentationError {
      throw CLIError(
        code: error.code, message: String(error.description.dropFirst(error.code.count + 2)))
    } catch let error as WaterfallError {
      throw CLIError(
        code: error.code, message: String(error.description.dropFirst(error.code.count + 2)))
    } catch let error as CostTrendError {
      throw CLIError(
        code: error.code, message: String(error.description.dropFirst(error.code.count + 2)))
    }
  }
}
