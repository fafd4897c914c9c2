import Foundation
import RebateCore
import RebateStore
import SellOut

/// Reading the files of the sell-out commands and writing what they print.
extension CLI {
  static func monthOption(_ text: String) throws -> Period {
    guard let month = try? Period.parse(text), month.grain == .month else {
      throw CLIError.usage("'\(text)' is not a month; write YYYY-MM")
    }
    return month
  }

  /// `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`, returned in the second form.
  static func submissionTime(_ text: String) throws -> String {
    let error = SellOutStoreError.timestamp(text)
    guard (try? Day.parse(String(text.prefix(10)))) != nil else {
      throw CLIError(code: error.code, message: error.message, exitCode: 2)
    }
    if text.count == 10 { return text + "T00:00:00Z" }
    let time = Array(text.utf8.dropFirst(10))
    let shape = Array("THH:MM:SSZ".utf8)
    let valid =
      time.count == shape.count
      && zip(time, shape).allSatisfy { byte, expected in
        expected == UInt8(ascii: "H") || expected == UInt8(ascii: "M")
          || expected == UInt8(ascii: "S")
          ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
      }
    guard valid, let hour = Int(text.dropFirst(11).prefix(2)), hour < 24,
      let minute = Int(text.dropFirst(14).prefix(2)), minute < 60,
      let second = Int(text.dropFirst(17).prefix(2)), second < 60
    else { throw CLIError(code: error.code, message: error.message, exitCode: 2) }
    return text
  }

  /// At most one byte beyond the reader's limit is read: a larger file is refused unread.
  static func readSellOutFile(_ path: String) throws -> [UInt8] {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CLIError(code: "E-FILE-READ", message: "\(path): cannot open for reading")
    }
    defer { try? handle.close() }
    do {
      let data = try handle.read(upToCount: SellOutLimits.defaultMaxFileBytes + 1) ?? Data()
      return [UInt8](data)
    } catch {
      throw CLIError(code: "E-FILE-READ", message: "\(path): \(error.localizedDescription)")
    }
  }

  /// `dealer_code,sku` lines after a header line; `;` or tab may separate instead of `,`.
  static func readCodeList(_ path: String) throws -> [(line: Int, code: String, sku: String)] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError(code: "E-FILE-READ", message: "\(path): cannot read")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError(code: "E-SELLOUT-CODE-LIST", message: "\(path): not UTF-8 text")
    }
    var pairs: [(line: Int, code: String, sku: String)] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where index > 0 {
      let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if line.allSatisfy({ $0 == " " }) { continue }
      let fields = line.split(
        omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" }
      ).map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
        let error = SellOutStoreError.codeList(
          file: path, line: index + 1, value: String(line.prefix(80)),
          reason: "expected two fields: dealer_code,sku")
        throw CLIError(code: error.code, message: error.message)
      }
      pairs.append((index + 1, fields[0], fields[1]))
    }
    return pairs
  }

  /// Turns the store's own errors into the command's error, keeping their codes.
  static func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as SellOutStoreError {
      throw CLIError(code: error.code, message: error.message)
    }
  }

  /// `FILE:LINE: column C: value 'V': reason (E-SELLOUT-...)`.
  static func errorLine(_ error: SellOutFileError, path: String) -> String {
    var parts = [error.line == 0 ? path : "\(path):\(error.line)"]
    if !error.column.isEmpty { parts.append("column \(error.column)") }
    // One error per line: a value spanning lines (inside quotes) shows its breaks escaped.
    let value = error.value.replacingOccurrences(of: "\r", with: "\\r")
      .replacingOccurrences(of: "\n", with: "\\n")
    if !value.isEmpty { parts.append("value '\(value)'") }
    parts.append("\(error.reason) (\(error.code.rawValue))")
    return parts.joined(separator: ": ")
  }

  static func receiptText(_ receipt: SubmissionReceipt, path: String) -> String {
    let head = "\(receipt.dealer) \(receipt.month): \(path)"
    let hash = String(receipt.sha256.prefix(12))
    switch receipt.kind {
    case .newVersion:
      return
        "\(head): stored as version \(receipt.version), \(receipt.lineCount) lines, sha256 "
        + "\(hash)…, received \(receipt.submittedAt)"
    case .sameAsEarlier:
      return
        "\(head): the same file as version \(receipt.version) received \(receipt.submittedAt) "
        + "(sha256 \(hash)…); one submission, nothing changed"
    }
  }

  static func statusLines(_ status: MonthReportStatus) -> [String] {
    let quality = status.quality
    guard let current = status.versions.last else {
      return ["  \(status.month)  \(quality.timeliness.text)"]
    }
    let completeness =
      quality.completeness.map {
        "\($0.percentText(decimals: 2)) % (\(quality.skusReported) of \(quality.skusSellable) SKUs)"
      } ?? "no SKUs in stock or shipped"
    var lines = [
      "  \(status.month)  v\(current.version) of \(status.versions.count), "
        + "\(current.lineCount) lines; \(quality.timeliness.text)",
      "           completeness \(completeness)",
    ]
    if status.versions.count > 1 {
      lines.append(
        "           v\(current.version) repeats \(quality.linesRepeatedFromPreviousVersion) lines "
          + "of the previous version and drops \(quality.linesDroppedFromPreviousVersion)")
    }
    if !quality.soldNeverShipped.isEmpty {
      lines.append("           sold but never shipped: " + unitsText(quality.soldNeverShipped))
    }
    if !quality.idleStock.isEmpty {
      lines.append("           stock that did not move: " + unitsText(quality.idleStock))
    }
    return lines
  }

  /// The first few SKUs with their units; the rest counted.
  static func unitsText(_ units: [String: Int64]) -> String {
    let shown = 5
    let sorted = units.sorted { $0.key < $1.key }
    let text = sorted.prefix(shown).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    return sorted.count > shown ? text + " and \(sorted.count - shown) more SKUs" : text
  }

  static func inventoryLines(_ stock: [String: SKUInventory], dealer: String, day: Day)
    -> [String]
  {
    var lines = ["channel inventory of \(dealer) at the start of \(day) (oldest layer first)"]
    let held = stock.values.filter { $0.remaining > 0 || $0.soldNeverShipped > 0 }
    if held.isEmpty { lines.append("  nothing in stock") }
    for inventory in held.sorted(by: { $0.sku < $1.sku }) {
      lines.append("  \(inventory.sku): \(inventory.remaining) units")
      for layer in inventory.remainingLayers {
        lines.append(
          "    \(layer.document) shipped \(layer.shippedOn) at \(layer.netUnitPrice): "
            + "\(layer.shipped) shipped, \(layer.returned) returned, \(layer.sold) sold, "
            + "\(layer.remaining) left")
      }
      if inventory.soldNeverShipped > 0 {
        lines.append("    \(inventory.soldNeverShipped) units reported sold beyond all shipments")
      }
    }
    return lines
  }
}
