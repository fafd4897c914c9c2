import Foundation
import HTTPServer
import RebateCore

/// Strict reading of what a client sends: JSON objects and HTML form bodies with a fixed set of
/// fields (an unknown field is refused, never ignored), typed values with errors naming the field.
struct RequestFields {
  /// A form or JSON object has a handful of fields; the cap bounds parsing work.
  static let maxFields = 64
  let values: [String: String]

  /// A JSON object whose values are strings or numbers.
  static func json(_ request: Request, allowed: [String]) throws -> RequestFields {
    guard !request.body.isEmpty else { throw APIError.badJSON("the body is empty") }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(request.body))
    } catch {
      throw APIError.badJSON("it does not parse")
    }
    guard let dictionary = object as? [String: Any] else {
      throw APIError.badJSON("the top level is not an object")
    }
    var values: [String: String] = [:]
    for (key, value) in dictionary {
      switch value {
      case let text as String: values[key] = text
      // Booleans arrive as NSNumber with type "c"; no field of ours is a boolean.
      case let number as NSNumber where String(cString: number.objCType) != "c":
        values[key] = number.stringValue
      default: throw APIError.invalidField(key, "must be a string or a number")
      }
    }
    return try RequestFields(checking: values, allowed: allowed)
  }

  /// An `application/x-www-form-urlencoded` body.
  static func form(_ request: Request, allowed: [String]) throws -> RequestFields {
    let text = try request.bodyText()
    var values: [String: String] = [:]
    for pair in text.split(separator: "&") where !pair.isEmpty {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = try decodeFormComponent(parts[0])
      guard values[name] == nil else { throw APIError.invalidField(name, "given twice") }
      values[name] = try decodeFormComponent(parts.count == 2 ? parts[1] : "")
      guard values.count <= maxFields else { throw APIError.badJSON("too many form fields") }
    }
    return try RequestFields(checking: values, allowed: allowed)
  }

  private init(checking values: [String: String], allowed: [String]) throws {
    let unknown = values.keys.filter { !allowed.contains($0) }.sorted()
    guard unknown.isEmpty else { throw APIError.unknownFields(unknown, allowed: allowed) }
    for name in values.keys.sorted() {
      if let error = APIError.controlCharacter(name, values[name] ?? "") { throw error }
    }
    self.values = values
  }

  init(query request: Request) {
    values = Dictionary(request.query.map { ($0.name, $0.value) }) { a, _ in a }
  }

  func optional(_ name: String) -> String? {
    values[name].flatMap { $0.isEmpty ? nil : $0 }
  }

  func required(_ name: String) throws -> String {
    guard let value = optional(name) else { throw APIError.invalidField(name, "is required") }
    return value
  }

  /// A value that names something (dealer, SKU, policy id): it follows the identifier grammar.
  func identifier(_ name: String) throws -> String {
    try Self.checkedIdentifier(try required(name), field: name)
  }

  static func checkedIdentifier(_ text: String, field: String) throws -> String {
    do { return try Identifier(text, what: field).text } catch {
      throw APIError.invalidIdentifier(error)
    }
  }

  func day(_ name: String, default fallback: () throws -> Day) throws -> Day {
    guard let text = optional(name) else { return try fallback() }
    do { return try Day.parse(text) } catch {
      throw APIError.invalidField(
        name, "'\(Identifier.printable(String(text.prefix(40))))' is not a date YYYY-MM-DD")
    }
  }

  func int(_ name: String, range: ClosedRange<Int>) throws -> Int {
    let text = try required(name)
    guard let number = Int(text), range.contains(number) else {
      throw APIError.invalidField(
        name,
        "'\(Identifier.printable(String(text.prefix(40))))' is not a whole number in \(range.lowerBound)...\(range.upperBound)"
      )
    }
    return number
  }

  /// `+` is a space in forms; percent escapes must be complete and decode to UTF-8.
  private static func decodeFormComponent(_ raw: Substring) throws -> String {
    let spaced = raw.replacingOccurrences(of: "+", with: " ")
    guard let decoded = spaced.removingPercentEncoding else {
      throw APIError.invalidField(String(raw.prefix(40)), "malformed percent escape in the form")
    }
    return decoded
  }
}

/// Today's date in UTC, the default date of quotes and progress.
func today(_ services: APIServices) throws -> Day {
  try Day.parse(String(services.now().prefix(10)))
}
