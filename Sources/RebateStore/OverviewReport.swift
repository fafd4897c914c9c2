import PostgresClient
import RebateCore

/// What finance looks at first for a period: net turnover by tier and by region, and payment
/// discipline by grade once the period has been computed.
public struct OverviewReport: Sendable {
  public struct TurnoverGroup: Sendable {
    public let name: String
    public let dealerCount: Int
    public let netTurnover: Money
  }

  public struct GradeGroup: Sendable {
    public let grade: String
    public let dealerCount: Int
    /// Averages over the grade's dealers, as exact decimals.
    public let averagePaidByDueShare: ExactDecimal
    public let averageWeightedDaysLate: ExactDecimal
  }

  public let period: Period
  public let byTier: [TurnoverGroup]
  public let byRegion: [TurnoverGroup]
  /// Empty until `rebate period close` has computed the period.
  public let byGrade: [GradeGroup]

  /// Net turnover = invoice lines dated in the period minus credit-note lines dated in it.
  public static func load(period: Period, on connection: Connection) throws -> OverviewReport {
    func turnover(by column: String) throws -> [TurnoverGroup] {
      // `column` is one of two names written here, never input.
      precondition(column == "tier" || column == "region")
      let rows = try connection.query(
        """
        SELECT d.\(column) AS name, count(DISTINCT d.dealer_id) AS dealers,
          coalesce(sum(CASE WHEN i.kind = 'invoice' THEN l.net_amount_minor
            ELSE -l.net_amount_minor END), 0)::bigint AS turnover
        FROM dealers d
        JOIN invoices i ON i.dealer_id = d.dealer_id AND i.issued_on BETWEEN $1::date AND $2::date
        JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
        GROUP BY d.\(column) ORDER BY turnover DESC, name
        """, [period.firstDay.description, period.lastDay.description],
        purpose: "turnover by \(column) for \(period)")
      return try rows.rows.map {
        TurnoverGroup(
          name: try $0.string("name"), dealerCount: try $0.int("dealers"),
          netTurnover: Money(minor: try $0.int64("turnover")))
      }
    }
    let grades = try connection.query(
      """
      SELECT grade, count(*) AS dealers, round(avg(paid_by_due_share), 4)::text AS paid,
        round(avg(weighted_days_late), 2)::text AS late
      FROM dealer_grades WHERE period_key = $1 GROUP BY grade ORDER BY grade
      """, [period.description], purpose: "payment grades for \(period)")
    return OverviewReport(
      period: period, byTier: try turnover(by: "tier"), byRegion: try turnover(by: "region"),
      byGrade: try grades.rows.map {
        GradeGroup(
          grade: try $0.string("grade"), dealerCount: try $0.int("dealers"),
          averagePaidByDueShare: try ExactDecimal.parse(try $0.string("paid")),
          averageWeightedDaysLate: try ExactDecimal.parse(try $0.string("late")))
      })
  }
}
