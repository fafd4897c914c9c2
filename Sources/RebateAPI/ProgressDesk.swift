import Close
import Policy
import PostgresClient
import RebateCore
import RebateStore
import SellOut

/// Live progress of a dealer in the open period: per volume mechanic the basis to date, the
/// tier it is heading for and what is missing to the next one (`accrueDealer`, the same
/// function as `rebate accruals`), and the reporting bonus's months on time so far.
enum ProgressDesk {
  struct MechanicView: Encodable {
    let mechanic: String
    let basis_to_date: String?
    let earned_to_date: String
    let projected: String
    let projected_tier: String
    let missing_to_next_tier: String?
    /// basis ÷ (basis + missing), 0...100; nil when the top tier is reached or not a tiered mechanic.
    let percent_to_next_tier: Int?
  }

  struct ReportingView: Encodable {
    let due_day_of_next_month: Int
    let months_on_time: Int
    let months_late: Int
    let months_missing: Int
    let months_in_period: Int
  }

  struct View: Encodable {
    let dealer: String
    let period: String
    let as_of: String
    let policy: String
    let mechanics: [MechanicView]
    let reporting: ReportingView?
  }

  static func progress(dealer: String, asOf: Day, services: APIServices) throws -> View {
    try services.withStore { store in
      let connection = store.connection
      let stored = try TermsRecords.storeCall {
        try DealerTermsStore.history(dealer: dealer, on: connection)
      }
      guard let terms = TermsDesk.inForce(stored.map(\.terms), dealer: dealer, on: asOf) else {
        throw TermsRecords.refusal(.noTermsInForce(dealer: dealer, day: asOf))
      }
      let policy = try services.policies.policy(
        id: terms.policyID, version: terms.policyVersion, on: connection
      ).policy
      let period = Period.containing(asOf, grain: policy.periodGrain)
      guard
        let record = try store.dealers().first(where: { $0.code.utf8.elementsEqual(dealer.utf8) })
      else {
        throw APIError.notFound("no dealer \(dealer)")
      }
      let settings = CloseSettings(policy: policy)
      // The close's reading window, so progress to date sees the documents the close will.
      let from = CloseStore.window(period, settings: settings).from
      let documents = try store.documents(dealer: dealer, from: from, through: asOf)
      let documentsForClose = Close.DealerDocuments(
        profile: Close.DealerProfile(dealer: dealer, segment: record.segment),
        invoices: documents.invoices, creditNotes: documents.creditNotes,
        payments: try store.payments(dealer: dealer, from: from, through: asOf))
      let rows = try accrueDealer(
        documentsForClose, period: period, asOf: asOf, settings: settings)
      let reporting = try policy.offInvoice.reportingBonus.map { settings in
        try reportingView(
          dealer: dealer, period: period, asOf: asOf, settings: settings, connection)
      }
      return View(
        dealer: dealer, period: period.description, as_of: asOf.description,
        policy: policy.reference, mechanics: rows.map(mechanicView), reporting: reporting)
    }
  }

  static func mechanicView(_ row: AccrualRow) -> MechanicView {
    let basisText = row.explanation.inputs.first { $0.name == "basis to date" }?.value
    let basis = basisText.flatMap { try? Money.parse($0.replacingOccurrences(of: ",", with: "")) }
    var percent: Int?
    if let basis, let missing = row.missingToNextTier {
      let whole = Int128(basis.minor) + Int128(missing.minor)
      percent = whole > 0 ? Int(Int128(basis.minor) * 100 / whole) : 0
    }
    return MechanicView(
      mechanic: row.mechanic, basis_to_date: basis?.description,
      earned_to_date: row.earnedToDate.description, projected: row.projected.description,
      projected_tier: row.projectedTier, missing_to_next_tier: row.missingToNextTier?.description,
      percent_to_next_tier: percent)
  }

  static func reportingView(
    dealer: String, period: Period, asOf: Day, settings: ReportingBonusSettings,
    _ connection: Connection
  ) throws -> ReportingView {
    let months = period.months
    let statuses = try SellOutStore(connection: connection).status(
      dealer: dealer, through: months.last!, dueDayOfNextMonth: settings.dueDayOfNextMonth)
    let inPeriod = statuses.filter { months.contains($0.month) }
    var late = 0
    var missing = 0
    for status in inPeriod {
      switch status.quality.timeliness {
      case .onTime: break
      case .late: late += 1
      case .missing(let due): if due < asOf { missing += 1 }
      }
    }
    return ReportingView(
      due_day_of_next_month: settings.dueDayOfNextMonth,
      months_on_time: inPeriod.filter { $0.quality.timeliness.isOnTime }.count,
      months_late: late, months_missing: missing, months_in_period: months.count)
  }
}
