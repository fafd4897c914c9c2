import DemoData
import Foundation

extension CLI {
  static let demoDataCommands = [demoData]

  static let demoData = Command(
    ["demo-data"], usage: "rebate demo-data --seed N [--scale S] --out DIR",
    summary: "write a deterministic sample data set as import files"
  ) { arguments, context in
    let seedText = try arguments.required("seed")
    let scaleText = try arguments.option("scale") ?? "1"
    let directory = try arguments.required("out")
    try arguments.finish()
    guard let seed = UInt64(seedText) else { throw CLIError.usage("--seed takes a whole number") }
    guard let scale = Int(scaleText) else { throw CLIError.usage("--scale takes a whole number") }
    let plan: SamplePlan
    do { plan = try SamplePlan(seed: seed, scale: scale) } catch {
      throw CLIError.usage("\(error)")
    }
    let counts = try writeSampleFiles(plan, to: directory)
    for table in SampleTable.allCases {
      context.console.print(
        "\(directory)/\(table.rawValue).csv: \(counts[table, default: 0]) rows")
    }
    return 0
  }

  /// Streams the generator into one buffered file per table, so memory stays bounded at any scale.
  static func writeSampleFiles(_ plan: SamplePlan, to directory: String) throws -> [SampleTable:
    Int]
  {
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    var writers: [SampleTable: BufferedFileWriter] = [:]
    for table in SampleTable.allCases {
      writers[table] = try BufferedFileWriter(path: "\(directory)/\(table.rawValue).csv")
    }
    var counts: [SampleTable: Int] = [:]
    var failure: Error?
    generateSampleData(plan) { table, line in
      guard failure == nil else { return }
      do { try writers[table]!.writeLine(line) } catch { failure = error }
      counts[table, default: -1] += 1
    }
    for writer in writers.values { try writer.close() }
    if let failure { throw failure }
    return counts
  }
}

/// Appends lines to a file through a fixed-size buffer.
final class BufferedFileWriter {
  static let bufferBytes = 1 << 20
  private let handle: UnsafeMutablePointer<FILE>
  private let path: String
  private var buffer: [UInt8] = []

  init(path: String) throws {
    guard let handle = fopen(path, "w") else {
      throw CLIError(code: "E-FILE-WRITE", message: "\(path): cannot open for writing")
    }
    self.handle = handle
    self.path = path
    buffer.reserveCapacity(Self.bufferBytes)
  }

  func writeLine(_ line: String) throws {
    buffer.append(contentsOf: line.utf8)
    buffer.append(UInt8(ascii: "\n"))
    if buffer.count >= Self.bufferBytes { try flush() }
  }

  func flush() throws {
    let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    guard written == buffer.count else {
      throw CLIError(code: "E-FILE-WRITE", message: "\(path): write failed")
    }
    buffer.removeAll(keepingCapacity: true)
  }

  func close() throws {
    try flush()
    guard fclose(handle) == 0 else {
      throw CLIError(code: "E-FILE-WRITE", message: "\(path): close failed")
    }
  }
}
