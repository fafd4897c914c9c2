import PostgresClient
import RebateCore

/// Errors of the store that are not plain database failures. Codes are stable (docs/errors.md).
public enum StoreError: Error, Sendable, CustomStringConvertible {
  /// The schema folder cannot be found or read.
  case schemaMissing(String)
  /// A migration file name does not follow `NNN_name.sql`, or two share a number.
  case migrationName(file: String, reason: String)
  /// An applied migration's file changed since it was applied.
  case migrationEdited(file: String, applied: String, now: String)
  /// The database has a migration this checkout does not know (a newer build applied it).
  case migrationUnknown(file: String)
  /// A stored value does not read back as the type the engine needs.
  case corruptValue(table: String, key: String, reason: String)

  /// Two codes of `table` (dealers, SKUs) written around the identifier grammar that differ only
  /// in their Unicode spelling: two rows to PostgreSQL, one key to Swift. Refused, never merged.
  static func sameText(table: String, what: String, _ code: String) -> StoreError {
    .corruptValue(
      table: table, key: Identifier.printable(code),
      reason: "two \(what) differ only in their Unicode spelling (the same text, other bytes); "
        + "the engine cannot tell them apart: rename the one that breaks the code grammar "
        + "(\(IdentifierError.code))")
  }

  public var code: String {
    switch self {
    case .schemaMissing: return "E-DB-SCHEMA-MISSING"
    case .migrationName: return "E-DB-MIGRATION-NAME"
    case .migrationEdited: return "E-DB-MIGRATION-EDITED"
    case .migrationUnknown: return "E-DB-MIGRATION-UNKNOWN"
    case .corruptValue: return "E-DB-CORRUPT"
    }
  }

  public var description: String {
    switch self {
    case .schemaMissing(let reason): return "\(code): \(reason)"
    case .migrationName(let file, let reason): return "\(code): \(file): \(reason)"
    case .migrationEdited(let file, let applied, let now):
      return
        "\(code): \(file) was edited after it was applied (checksum applied \(applied.prefix(12))…, "
        + "file now \(now.prefix(12))…); never edit an applied migration, add a new numbered file"
    case .migrationUnknown(let file):
      return "\(code): the database has migration \(file) that is not in the schema folder; "
        + "use the build that applied it"
    case .corruptValue(let table, let key, let reason):
      return "\(code): \(table) \(key): \(reason)"
    }
  }
}
