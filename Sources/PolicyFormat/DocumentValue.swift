import RebateCore

/// A value read from a policy file, with the place it was written. Decimals stay exact
/// (`ExactDecimal`), dates are civil days; nothing passes through floating point.
public struct DocumentValue: Sendable {
  public enum Kind: Sendable {
    case string(String)
    case integer(Int64)
    case decimal(ExactDecimal)
    case boolean(Bool)
    case date(Day)
    case array([DocumentValue])
    case table(DocumentTable)
    /// A value that could not be read; its problem is already reported.
    case invalid
  }

  public let kind: Kind
  public let location: SourceLocation

  public init(_ kind: Kind, at location: SourceLocation) {
    self.kind = kind
    self.location = location
  }

  /// How an analyst would name the type in an error message.
  public var typeName: String {
    switch kind {
    case .string: return "a string"
    case .integer: return "an integer"
    case .decimal: return "a decimal"
    case .boolean: return "a boolean"
    case .date: return "a date"
    case .array: return "an array"
    case .table: return "a table"
    case .invalid: return "an invalid value"
    }
  }
}

/// A table of a policy file: its keys in the order they were written, and where it begins.
public struct DocumentTable: Sendable {
  public struct Entry: Sendable {
    public let key: String
    /// Where the key itself is written (unknown-key errors point here, value errors at the value).
    public let keyLocation: SourceLocation
    public let value: DocumentValue
  }

  public let entries: [Entry]
  public let location: SourceLocation

  public init(entries: [Entry], location: SourceLocation) {
    self.entries = entries
    self.location = location
  }

  // Tables hold a handful of keys, so a linear search beats hashing and keeps the order.
  public subscript(key: String) -> DocumentValue? {
    entries.first { $0.key == key }?.value
  }

  public var keys: [String] { entries.map(\.key) }
}
