import Policy
import PostgresClient
import RebateCore

extension PolicyVersionStore {
  /// The loaded version of policy `id` in force on `day`, with the text it was loaded from (the
  /// close records that text so reports and re-runs read the very same rules); nil when no
  /// version of it is in force then.
  public static func inForce(id: String, on day: Day, connection: Connection) throws -> (
    policy: CommercialPolicy, sourceText: String
  )? {
    let rows = try connection.query(
      "SELECT version, source_text FROM policies WHERE policy_id = $1 ORDER BY version", [id],
      purpose: "read versions of policy \(id)")
    var versions: [(policy: CommercialPolicy, text: String)] = []
    for row in rows.rows {
      let text = try row.string("source_text")
      versions.append((try decode(text, reference: "\(id) v\(try row.int("version"))"), text))
    }
    guard let policy = CommercialPolicy.inForce(versions.map(\.policy), id: id, on: day) else {
      return nil
    }
    return versions.first { $0.policy.version == policy.version }.map { ($0.policy, $0.text) }
  }
}
