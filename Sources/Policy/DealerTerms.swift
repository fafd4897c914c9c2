import PolicyFormat
import RebateCore

/// One version of a dealer's terms: the policy it is on, its tier and the extra discount a sales
/// manager granted. Above the policy's approval level it stays `pending` until someone other than
/// the issuer approves it; pending terms are never in force.
public struct DealerTerms: Sendable, Hashable {
  public enum Status: String, Sendable, Hashable, CaseIterable {
    case pending, approved
  }

  public let dealer: String
  public let version: Int
  public let policyID: String
  public let policyVersion: Int
  public let tier: String
  public let extraDiscount: ExactDecimal
  public let effectiveFrom: Day
  public let issuedBy: String
  public let status: Status
  /// Who approved terms that needed it; nil for terms within the issuer's own authority.
  public let approvedBy: String?

  public init(
    dealer: String, version: Int, policyID: String, policyVersion: Int, tier: String,
    extraDiscount: ExactDecimal, effectiveFrom: Day, issuedBy: String, status: Status,
    approvedBy: String?
  ) {
    self.dealer = dealer
    self.version = version
    self.policyID = policyID
    self.policyVersion = policyVersion
    self.tier = tier
    self.extraDiscount = extraDiscount
    self.effectiveFrom = effectiveFrom
    self.issuedBy = issuedBy
    self.status = status
    self.approvedBy = approvedBy
  }
}

/// Errors of issuing and approving terms. Codes are stable and documented in docs/errors.md.
public enum TermsError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknownTier(String, allowed: [String])
  case extraAboveMaximum(ExactDecimal, maximum: ExactDecimal)
  case invalidExtraDiscount(ExactDecimal)
  case approverIsIssuer(String)
  case notPending(dealer: String, version: Int)
  case effectiveBeforePolicy(Day, policyFrom: Day)

  public var code: String {
    switch self {
    case .unknownTier: return "E-TERMS-TIER"
    case .extraAboveMaximum: return "E-TERMS-LIMIT"
    case .invalidExtraDiscount: return "E-TERMS-EXTRA"
    case .approverIsIssuer: return "E-TERMS-SELF-APPROVAL"
    case .notPending: return "E-TERMS-NOT-PENDING"
    case .effectiveBeforePolicy: return "E-TERMS-DATE"
    }
  }

  public var description: String {
    switch self {
    case .unknownTier(let tier, let allowed):
      return "\(code): tier '\(tier)' is not one of \(allowed.joined(separator: ", "))"
    case .extraAboveMaximum(let extra, let maximum):
      return
        "\(code): extra discount \(Percent.text(extra)) is above the policy maximum \(Percent.text(maximum))"
    case .invalidExtraDiscount(let extra):
      return
        "\(code): extra discount \(extra) must be 0% or more with at most 4 decimals of a percent"
    case .approverIsIssuer(let person):
      return "\(code): \(person) issued these terms and cannot approve them; another person must"
    case .notPending(let dealer, let version):
      return "\(code): terms v\(version) of \(dealer) are not waiting for approval"
    case .effectiveBeforePolicy(let day, let policyFrom):
      return "\(code): terms effective \(day) start before the policy version (\(policyFrom))"
    }
  }
}

/// Issuing and approving terms: pure rules the CLI and the store call.
public enum TermsDesk {
  /// New terms for `dealer`, numbered after its `history`; pending when the extra discount is
  /// above the policy's approval level.
  public static func issue(
    dealer: String, policy: CommercialPolicy, tier: String, extraDiscount: ExactDecimal,
    effectiveFrom: Day, issuedBy: String, history: [DealerTerms]
  ) throws(TermsError) -> DealerTerms {
    guard policy.tiers.contains(tier) else { throw .unknownTier(tier, allowed: policy.tiers) }
    guard !extraDiscount.isNegative, extraDiscount.normalized.scale <= 6 else {
      throw .invalidExtraDiscount(extraDiscount)
    }
    guard extraDiscount <= policy.extraDiscount.maximum else {
      throw .extraAboveMaximum(extraDiscount, maximum: policy.extraDiscount.maximum)
    }
    guard effectiveFrom >= policy.effectiveFrom else {
      throw .effectiveBeforePolicy(effectiveFrom, policyFrom: policy.effectiveFrom)
    }
    let version = (history.filter { $0.dealer == dealer }.map(\.version).max() ?? 0) + 1
    let pending = policy.extraDiscount.needsApproval(extraDiscount)
    return DealerTerms(
      dealer: dealer, version: version, policyID: policy.id, policyVersion: policy.version,
      tier: tier, extraDiscount: extraDiscount, effectiveFrom: effectiveFrom, issuedBy: issuedBy,
      status: pending ? .pending : .approved, approvedBy: nil)
  }

  /// Approves pending terms; the approver must be someone other than the issuer.
  public static func approve(_ terms: DealerTerms, by approver: String) throws(TermsError)
    -> DealerTerms
  {
    guard terms.status == .pending else {
      throw .notPending(dealer: terms.dealer, version: terms.version)
    }
    guard approver != terms.issuedBy else { throw .approverIsIssuer(approver) }
    return DealerTerms(
      dealer: terms.dealer, version: terms.version, policyID: terms.policyID,
      policyVersion: terms.policyVersion, tier: terms.tier, extraDiscount: terms.extraDiscount,
      effectiveFrom: terms.effectiveFrom, issuedBy: terms.issuedBy, status: .approved,
      approvedBy: approver)
  }

  /// The approved terms of `dealer` in force on `day`: pending versions do not count.
  public static func inForce(_ history: [DealerTerms], dealer: String, on day: Day) -> DealerTerms?
  {
    versionInForce(
      history.filter { $0.dealer == dealer && $0.status == .approved }, on: day,
      effectiveFrom: \.effectiveFrom, version: \.version)
  }
}
