import Foundation
import RebateCore
import SellOut

/// Settings shared by the reader tests: July 2026, a small catalogue, one dealer's codes.
enum Dealer {
  static let skus: Set<String> = ["TV-55", "TV-65", "SB-100", "ФЕН-1"]
  static let crossReference = ["D-100": "TV-55", "Д-100": "SB-100", "D-999": "XX-NOT-OURS"]

  static func settings(
    allowsReturns: Bool = false, columnMapping: [String: SellOutField] = [:],
    limits: SellOutLimits = .standard
  ) -> SellOutFileSettings {
    SellOutFileSettings(
      month: try! Period.parse("2026-07"), allowsReturns: allowsReturns,
      columnMapping: columnMapping, crossReference: crossReference, knownSKUs: skus,
      limits: limits)
  }

  static func read(_ text: String, _ settings: SellOutFileSettings = settings())
    throws(SellOutRejection) -> SellOutFile
  {
    try SellOutFileReader(settings: settings).read(Array(text.utf8))
  }

  static func rejection(_ bytes: [UInt8], _ settings: SellOutFileSettings = settings())
    -> SellOutRejection?
  {
    do {
      _ = try SellOutFileReader(settings: settings).read(bytes)
      return nil
    } catch {
      return error
    }
  }
}

enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func bytes(_ relativePath: String) throws -> [UInt8] {
    Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
  }
}

extension SellOutFileError {
  /// `line,column,code` as the corpus' `.expected` files write it.
  var expectedForm: String { "\(line),\(column),\(code.rawValue)" }
}
