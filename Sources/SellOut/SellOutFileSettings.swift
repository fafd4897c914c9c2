import RebateCore

/// The fields the engine takes from a sell-out file.
public enum SellOutField: String, Sendable, Hashable, CaseIterable {
  case date, sku, quantity
  case resalePrice = "resale_price"

  /// How errors and documents name the field when the file has no column for it.
  public var displayName: String {
    switch self {
    case .date: return "Date"
    case .sku: return "SKU"
    case .quantity: return "Qty"
    case .resalePrice: return "Price"
    }
  }

  var isRequired: Bool { self != .resalePrice }

  /// Header names every dealer may use, normalized (lower case, no spaces).
  var standardHeaders: [String] {
    switch self {
    case .date: return ["date", "дата"]
    case .sku: return ["sku", "артикул", "код", "кодтовара"]
    case .quantity: return ["qty", "quantity", "количество", "кол-во"]
    case .resalePrice: return ["price", "цена"]
    }
  }

  /// Header text compared case and spacing insensitively ("Кол-во ", "QTY" and "q ty" match).
  static func normalizedHeader(_ text: String) -> String {
    String(text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
  }
}

/// Bounds on what one file may contain. Defaults are the named constants below.
public struct SellOutLimits: Sendable, Hashable {
  /// Above this the file is refused before it is read: 64 MiB holds ~1.5 million typical lines.
  public static let defaultMaxFileBytes = 64 * 1024 * 1024
  public static let defaultMaxDataLines = 2_000_000
  /// Errors listed in full; the rest are counted ("and N more").
  public static let defaultMaxErrorsListed = 100
  /// No date, code, quantity or price is this long; a longer field is a broken export.
  public static let defaultMaxFieldBytes = 256
  public static let defaultMaxQuantityPerLine: Int64 = 10_000_000
  /// Offending values are shortened to this in error messages.
  public static let maxValueShownBytes = 80

  public var maxFileBytes: Int
  public var maxDataLines: Int
  public var maxErrorsListed: Int
  public var maxFieldBytes: Int
  public var maxQuantityPerLine: Int64

  public init(
    maxFileBytes: Int = defaultMaxFileBytes, maxDataLines: Int = defaultMaxDataLines,
    maxErrorsListed: Int = defaultMaxErrorsListed, maxFieldBytes: Int = defaultMaxFieldBytes,
    maxQuantityPerLine: Int64 = defaultMaxQuantityPerLine
  ) {
    precondition(maxFileBytes > 0 && maxDataLines > 0 && maxErrorsListed > 0 && maxFieldBytes > 0)
    precondition(maxQuantityPerLine > 0)
    self.maxFileBytes = maxFileBytes
    self.maxDataLines = maxDataLines
    self.maxErrorsListed = maxErrorsListed
    self.maxFieldBytes = maxFieldBytes
    self.maxQuantityPerLine = maxQuantityPerLine
  }

  public static let standard = SellOutLimits()
}

/// What the reader needs to know about one dealer's file for one month.
public struct SellOutFileSettings: Sendable {
  /// The month the report is for; every line's date must fall in it.
  public var month: Period
  /// Zero and negative quantities (customer returns, corrections) only when the policy says so.
  public var allowsReturns: Bool
  /// The dealer's own header names → our fields, for exports whose headers are not standard.
  public var columnMapping: [String: SellOutField]
  /// The dealer's own product codes → our SKUs.
  public var crossReference: [String: String]
  /// Our catalogue.
  public var knownSKUs: Set<String>
  public var limits: SellOutLimits

  public init(
    month: Period, allowsReturns: Bool = false, columnMapping: [String: SellOutField] = [:],
    crossReference: [String: String] = [:], knownSKUs: Set<String>,
    limits: SellOutLimits = .standard
  ) {
    precondition(month.grain == .month, "sell-out files report one month")
    self.month = month
    self.allowsReturns = allowsReturns
    self.columnMapping = columnMapping
    self.crossReference = crossReference
    self.knownSKUs = knownSKUs
    self.limits = limits
  }
}
