import RebateCore
import SellOut
import Testing

@Suite struct SubmissionHistoryTests {
  let july = try! Period.parse("2026-07")

  @Test func identicalBytesAreOneSubmission() throws {
    var history = SubmissionHistory()
    let first = try history.record(
      dealer: "D1", month: july, sha256: "aaa", receivedOn: try Day.parse("2026-08-05"),
      lineCount: 3)
    let again = try history.record(
      dealer: "D1", month: july, sha256: "aaa", receivedOn: try Day.parse("2026-08-20"),
      lineCount: 3)
    guard case .newVersion(let submission) = first, case .sameAs(let same) = again else {
      Issue.record("expected a new version then the same submission")
      return
    }
    #expect(submission == same)
    #expect(history.versions(dealer: "D1", month: july).count == 1)
  }

  @Test func aDifferentFileIsTheNextVersionAndEarlierOnesAreKept() throws {
    var history = SubmissionHistory()
    _ = try history.record(
      dealer: "D1", month: july, sha256: "aaa", receivedOn: try Day.parse("2026-08-05"),
      lineCount: 3)
    _ = try history.record(
      dealer: "D1", month: july, sha256: "bbb", receivedOn: try Day.parse("2026-08-20"),
      lineCount: 4)
    let versions = history.versions(dealer: "D1", month: july)
    #expect(versions.map(\.version) == [1, 2])
    #expect(versions.map(\.sha256) == ["aaa", "bbb"])
    #expect(history.current(dealer: "D1", month: july)?.sha256 == "bbb")
    // A correction after the due day does not make a punctual month late.
    #expect(history.timeliness(dealer: "D1", month: july, dueDayOfNextMonth: 10).isOnTime)
  }

  @Test func theSameBytesForAnotherDealerOrMonthAreSeparate() throws {
    var history = SubmissionHistory()
    let day = try Day.parse("2026-08-05")
    _ = try history.record(dealer: "D1", month: july, sha256: "aaa", receivedOn: day, lineCount: 1)
    let other = try history.record(
      dealer: "D2", month: july, sha256: "aaa", receivedOn: day, lineCount: 1)
    let august = try history.record(
      dealer: "D1", month: july.next, sha256: "aaa", receivedOn: day, lineCount: 1)
    guard case .newVersion = other, case .newVersion = august else {
      Issue.record("each dealer-month has its own history")
      return
    }
  }

  @Test func submissionTimeDecidesOnTimeOrLate() throws {
    var history = SubmissionHistory()
    _ = try history.record(
      dealer: "D1", month: july, sha256: "a", receivedOn: try Day.parse("2026-08-10"), lineCount: 1)
    _ = try history.record(
      dealer: "D1", month: july.next, sha256: "b", receivedOn: try Day.parse("2026-09-11"),
      lineCount: 1)
    #expect(history.timeliness(dealer: "D1", month: july, dueDayOfNextMonth: 10).isOnTime)
    #expect(!history.timeliness(dealer: "D1", month: july.next, dueDayOfNextMonth: 10).isOnTime)
  }

  @Test func dueDayBeyondMonthEndIsTheLastDay() throws {
    let january = try Period.parse("2026-01")
    #expect(
      SubmissionHistory.dueDay(of: january, dueDayOfNextMonth: 31) == (try Day.parse("2026-02-28")))
  }

  @Test func coverageRunsThroughTheLastUnbrokenMonth() throws {
    var history = SubmissionHistory()
    let day = try Day.parse("2026-10-01")
    for (month, hash) in [("2026-05", "a"), ("2026-06", "b"), ("2026-07", "c"), ("2026-09", "d")] {
      _ = try history.record(
        dealer: "D1", month: try Period.parse(month), sha256: hash, receivedOn: day, lineCount: 1)
    }
    #expect(
      history.coveredThrough(dealer: "D1", from: try Period.parse("2026-05"))
        == (try Day.parse("2026-07-31")))
    #expect(history.coveredThrough(dealer: "D1", from: try Period.parse("2026-04")) == nil)
  }

  @Test func quartersAreNotReportingMonths() throws {
    var history = SubmissionHistory()
    #expect(throws: SubmissionError.self) {
      try history.record(
        dealer: "D1", month: try Period.parse("2026-Q3"), sha256: "a",
        receivedOn: try Day.parse("2026-10-01"), lineCount: 1)
    }
  }
}
