import DemoData
import RebateCore
import SellOut
import Testing

@Suite("Sample sell-out files")
struct SellOutSampleTests {
  static let plan = try! SamplePlan(seed: 7, scale: 1)

  static func catalogue() -> Set<String> {
    var skus: Set<String> = []
    generateSampleData(plan) { table, line in
      if table == .products, !line.hasPrefix("sku,") {
        skus.insert(String(line.split(separator: ",")[0]))
      }
    }
    return skus
  }

  @Test("good samples read cleanly, the one bad sample has its three errors, habits show")
  func samplesRead() throws {
    let skus = Self.catalogue()
    var codes: [String: [String: String]] = [:]
    SellOutSamples.codeLists(Self.plan) { dealer, text in
      for line in text.split(separator: "\n").dropFirst() {
        let parts = line.split(separator: ",")
        codes[dealer, default: [:]][String(parts[0])] = String(parts[1])
      }
    }
    var samples: [SellOutSample] = []
    SellOutSamples.generate(Self.plan) { samples.append($0) }
    #expect(Set(samples.map(\.dealer)).count == SellOutSamples.dealerCount)
    for sample in samples {
      let settings = SellOutFileSettings(
        month: sample.month, columnMapping: ["Item code": .sku],
        crossReference: codes[sample.dealer] ?? [:], knownSKUs: skus)
      let reader = SellOutFileReader(settings: settings)
      do {
        let file = try reader.read(Array(sample.text.utf8))
        #expect(!sample.hasErrors, "\(sample.fileName) should have been rejected")
        #expect(!file.lines.isEmpty, "\(sample.fileName)")
      } catch {
        #expect(sample.hasErrors, "\(sample.fileName): \(error)")
        #expect(
          error.errors.map(\.code) == [.date, .skuUnknown, .quantityFraction], "\(sample.fileName)")
      }
    }
    #expect(samples.filter(\.hasErrors).count == 1)
    let july = try Period.parse("2026-07")
    let dealers = Set(samples.map(\.dealer)).sorted()
    // The third dealer never sends July 2026; the second sends August 2026 late.
    #expect(!samples.contains { $0.dealer == dealers[2] && $0.month == july })
    let august = try #require(
      samples.first { $0.dealer == dealers[1] && $0.month == (try! Period.parse("2026-08")) })
    #expect(august.submittedOn == (try Day.parse("2026-09-14")))
    // Deterministic: the same seed gives the same files.
    var again: [String] = []
    SellOutSamples.generate(Self.plan) { again.append($0.text) }
    #expect(again == samples.map(\.text))
  }
}
