/// Errors of storing and approving a period close. Codes are stable (docs/errors.md, section
/// "Period close").
public enum CloseStoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The period is closed: it can be neither recomputed nor approved again.
  case periodClosed(String)
  /// Approve needs a computed draft.
  case notDraft(String, status: String)
  /// The stored draft no longer matches the fingerprint it was computed with.
  case fingerprintMismatch(String, stored: String, recomputed: String)
  /// A row of the document stream cannot be read.
  case badRow(String, reason: String)
  /// A statement or report asked for a period or dealer the database has no results for.
  case notFound(String)
  /// The policy's `eligible_segments` reads the segments stored for `period` to compute
  /// `computing`, and none are stored: refusing beats paying or refusing every dealer silently.
  case segmentsMissing(period: String, computing: String)
  /// The policy text stored with a period's run no longer decodes (a newer build reads an older
  /// text differently).
  case storedPolicyInvalid(period: String, reference: String, problems: String)
  /// The temporary file that holds a draft's grade rows until their COPY could not be used.
  case spool(String)

  public var code: String {
    switch self {
    case .periodClosed: return "E-CLOSE-PERIOD-CLOSED"
    case .notDraft: return "E-CLOSE-NOT-DRAFT"
    case .fingerprintMismatch: return "E-CLOSE-FINGERPRINT"
    case .badRow: return "E-CLOSE-ROW"
    case .notFound: return "E-CLOSE-NOT-FOUND"
    case .segmentsMissing: return "E-CLOSE-SEGMENTS-MISSING"
    case .storedPolicyInvalid: return "E-POLICY-STORED-INVALID"
    case .spool: return "E-CLOSE-SPOOL"
    }
  }

  public var description: String {
    switch self {
    case .periodClosed(let period):
      return
        "\(code): period \(period) is closed; late data goes to the next open period as an adjustment"
    case .notDraft(let period, let status):
      return
        "\(code): period \(period) is \(status); run 'rebate period close --period \(period)' first"
    case .fingerprintMismatch(let period, let stored, let recomputed):
      return "\(code): period \(period): stored results hash to \(recomputed.prefix(16))…, "
        + "not the draft's \(stored.prefix(16))…; re-run the close before approving"
    case .badRow(let place, let reason): return "\(code): \(place): \(reason)"
    case .notFound(let what): return "\(code): \(what)"
    case .segmentsMissing(let period, let computing):
      return "\(code): no RFM segments are stored for \(period), which the policy's "
        + "eligible_segments reads to compute \(computing); "
        + "run 'rebate segments --period \(period) --store' first"
    case .spool(let reason):
      return "\(code): \(reason); set TMPDIR to a writable folder with room for the grade rows"
    case .storedPolicyInvalid(let period, let reference, let problems):
      return
        "\(code): the policy \(reference) stored with \(period) no longer decodes:\n\(problems)"
    }
  }
}
