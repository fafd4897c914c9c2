import RebateCore
import SellOut
import Testing

/// The submission history's error codes of docs/errors.md, produced by real refusals.
@Suite struct SubmissionErrorCodeTests {
  func code(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as SubmissionError {
      return error.code
    } catch {
      return "not a SubmissionError: \(error)"
    }
  }

  @Test func aQuarterIsNotAReportMonth() throws {
    var history = SubmissionHistory()
    let quarter = try Period.parse("2026-Q3")
    let received = try Day.parse("2026-10-05")
    #expect(
      code {
        _ = try history.record(
          dealer: "D1", month: quarter, sha256: "aaa", receivedOn: received, lineCount: 1)
      } == "E-SUBMISSION-NOT-A-MONTH")
  }

  @Test func theHundredAndFirstVersionIsRefused() throws {
    var history = SubmissionHistory()
    let july = try Period.parse("2026-07")
    let received = try Day.parse("2026-08-05")
    let limit = SubmissionHistory.maxVersionsPerDealerMonth
    #expect(limit == 100)
    for version in 1...limit {
      _ = try history.record(
        dealer: "D1", month: july, sha256: "sha-\(version)", receivedOn: received, lineCount: 1)
    }
    #expect(history.versions(dealer: "D1", month: july).count == limit)
    #expect(
      code {
        _ = try history.record(
          dealer: "D1", month: july, sha256: "sha-101", receivedOn: received, lineCount: 1)
      } == "E-SUBMISSION-TOO-MANY-VERSIONS")
  }
}
