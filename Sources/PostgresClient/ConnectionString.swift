import CLibPQ

/// Reads and rewrites connection strings with libpq's own parser, so URLs and `key=value`
/// strings are handled exactly as `Connection` will read them.
public enum ConnectionString {
  /// The same connection settings pointing at another database, as a `key=value` string.
  public static func replacingDatabase(_ conninfo: String, with database: String)
    throws(PostgresError) -> String
  {
    var settings = try parse(conninfo)
    settings["dbname"] = database
    return settings.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }
      .joined(separator: " ")
  }

  /// The settings given explicitly in `conninfo` (URL or `key=value`).
  public static func parse(_ conninfo: String) throws(PostgresError) -> [String: String] {
    var message: UnsafeMutablePointer<CChar>?
    guard let options = PQconninfoParse(conninfo, &message) else {
      let reason = message.map { String(cString: $0) } ?? "not a connection string"
      if let message { PQfreemem(message) }
      throw PostgresError(
        kind: .connect, message: reason.trimmingSuffixWhitespace, purpose: "parse connection string"
      )
    }
    defer { PQconninfoFree(options) }
    var settings: [String: String] = [:]
    var option = options
    while let keyword = option.pointee.keyword {
      if let value = option.pointee.val {
        settings[String(cString: keyword)] = String(cString: value)
      }
      option += 1
    }
    return settings
  }

  private static func quoted(_ value: String) -> String {
    "'" + value.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
  }
}

extension String {
  fileprivate var trimmingSuffixWhitespace: String {
    String(reversed().drop { $0.isWhitespace }.reversed())
  }

  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var result = ""
    for character in self {
      if character == target { result += replacement } else { result.append(character) }
    }
    return result
  }
}
