/// The files `rebate import` reads (formats in docs/import-formats.md).
public enum ImportKind: String, CaseIterable, Sendable {
  case dealers
  case products
  case prices
  case invoices
  case payments
  case priceChanges = "price-changes"

  /// Master data is updated in place on re-import; documents and prices are immutable facts
  /// that only `--replace` may change.
  public var updatesInPlace: Bool { self == .dealers || self == .products }

  /// The columns of the file, in order (every column, optional ones included).
  var fields: [ImportField] { stagedFormats.first?.fields ?? InvoiceImport.fields }

  /// How the small files are checked and written, one format per header the kind accepts, the
  /// full one first; invoices have their own streaming import (none here).
  var stagedFormats: [ImportFormat] {
    switch self {
    // A column added later is optional, so files written before it keep importing.
    case .dealers: return [MasterDataImport.dealers, MasterDataImport.dealersWithoutPaymentTerms]
    case .products: return [MasterDataImport.products]
    case .prices: return [KeyedImport.prices]
    case .priceChanges: return [KeyedImport.priceChanges]
    case .payments: return [KeyedImport.payments]
    case .invoices: return []
    }
  }

  /// The headers a file of this kind may have, the full one first.
  var headers: [[String]] {
    stagedFormats.isEmpty ? [InvoiceImport.fields.map(\.name)] : stagedFormats.map(\.columns)
  }
}

/// Everything that differs between the small import files: their columns, the set-wise checks
/// that need the database or the whole file, and how checked rows are written.
struct ImportFormat: Sendable {
  let fields: [ImportField]
  /// Statements inserting problems into `import_problems` from `import_rows`; `replace` says
  /// whether changed documents are allowed.
  let setChecks: @Sendable (_ replace: Bool) -> [String]
  let apply: @Sendable (_ session: ImportSession) throws -> ImportCounts

  var columns: [String] { fields.map(\.name) }

  /// The 1-based position of a column, so problems list in file order.
  func position(_ column: String) -> Int { ImportField.position(of: column, in: fields) }
}

struct ImportCounts {
  let records: Int
  let new: Int
  let changed: Int
}
