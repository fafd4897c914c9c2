import RebateCore

/// The sample dealers' terms as a terms file (`rebate terms import`, docs/sales.md): every dealer
/// on `standard-2026` at its master-data tier from the policy's start, which is what the sample
/// invoices were priced at. A few dealers get a second version from `extraFrom` with an extra
/// discount, after the invoiced months so the invoice audit is not disturbed; one of them is
/// above the policy's approval level (2 %) so the demo has a pending approval.
public enum SampleTerms {
  public static let header = "dealer,policy,tier,extra_discount,effective_from"
  public static let policyID = "standard-2026"
  public static let policyStart = "2026-01-01"
  public static let extraFrom = "2026-11-01"
  /// Every `extraEvery`-th dealer gets an extra discount.
  static let extraEvery = 25
  /// Within the issuer's authority (at most 2 %) except the last, which needs an approval.
  static let extras = ["1%", "1.5%", "2%", "3%"]

  /// The file's lines, header first.
  public static func lines(_ plan: SamplePlan) -> [String] {
    let dealers = Network.dealers(plan)
    var lines = [header]
    lines += dealers.map { "\($0.code),\(policyID),\($0.tier),0%,\(policyStart)" }
    let chosen = dealers.indices.filter { $0 % extraEvery == extraEvery - 1 }
    for (rank, index) in chosen.enumerated() {
      let dealer = dealers[index]
      // The pending one is the last dealer chosen, so there is exactly one at any scale.
      let extra =
        rank == chosen.count - 1 ? extras[extras.count - 1] : extras[rank % (extras.count - 1)]
      lines.append("\(dealer.code),\(policyID),\(dealer.tier),\(extra),\(extraFrom)")
    }
    return lines
  }
}
