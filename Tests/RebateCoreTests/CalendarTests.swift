import RebateCore
import Testing

@Suite struct CalendarTests {
  @Test func daysRoundTripAcrossCenturiesAndLeapYears() throws {
    var day = try Day.parse("1899-12-25")
    for _ in 0..<100_000 {
      let text = day.description
      #expect(try Day.parse(text) == day)
      day = day.adding(days: 3)
    }
    #expect(try Day.parse("1970-01-01").daysSinceEpoch == 0)
    #expect(try Day.parse("2000-02-29").adding(days: 1).description == "2000-03-01")
    #expect(throws: CoreError.self) { try Day.parse("2026-02-29") }
    #expect(throws: CoreError.self) { try Day.parse("1900-02-29") }
    #expect(throws: CoreError.self) { try Day.parse("26-07-01") }
  }

  @Test func daysBetweenPaymentAndInvoice() throws {
    let invoice = try Day.parse("2026-07-01")
    #expect(invoice.days(until: try Day.parse("2026-07-08")) == 7)
    #expect(invoice.days(until: try Day.parse("2026-08-05")) == 35)
  }

  @Test func periods() throws {
    let q3 = try Period.parse("2026-Q3")
    #expect(q3.firstDay.description == "2026-07-01")
    #expect(q3.lastDay.description == "2026-09-30")
    #expect(q3.months.map(\.description) == ["2026-07", "2026-08", "2026-09"])
    #expect(q3.next.description == "2026-Q4")
    #expect(q3.next.next.description == "2027-Q1")
    #expect(q3.sameLastYear.description == "2025-Q3")
    #expect(try Period.parse("2026-01").previous.description == "2025-12")
    #expect(try Period.parse("2024-02").lastDay.description == "2024-02-29")
    #expect(try Period.parse("2026").lastDay.description == "2026-12-31")
    #expect(Period.containing(try Day.parse("2026-09-20"), grain: .quarter) == q3)
    for bad in ["2026-Q5", "2026-13", "26-Q1", "2026-Q", "2026-07-01", ""] {
      #expect(throws: CoreError.self, "\(bad)") { try Period.parse(bad) }
    }
  }
}
