import Foundation
import HTTPServer
import Testing

/// The real `rebate serve` binary: it answers, logs one JSON line per request, and a SIGTERM
/// stops it gracefully with exit status 0.
@Suite("rebate serve process")
struct ServeProcessTests {
  static func binary() throws -> String {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
    ].map { $0.appendingPathComponent("rebate").path }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { throw ClientError("no rebate binary next to the tests: \(candidates)") }
    return found
  }

  @Test func serveAnswersLogsAndStopsGracefullyOnSIGTERM() throws {
    let fixture = try APIFixture()
    defer { fixture.stop() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Self.binary())
    process.arguments = [
      "serve", "--listen", "127.0.0.1:0", "--threads", "2", "--database", fixture.conninfo,
    ]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    // The first line names the port the kernel chose.
    var banner = Data()
    while !banner.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      banner += chunk
    }
    let text = String(decoding: banner, as: UTF8.self)
    let address = try #require(text.range(of: "http://127.0.0.1:"), "banner: \(text)")
    let portText = text[address.upperBound...].prefix { $0.isNumber }
    let client = HTTPClient(port: try #require(UInt16(portText)))
    #expect(try client.get("/health").status == 200)
    let me = try client.get("/api/me", token: fixture.token(.finance))
    #expect(me.status == 200)
    #expect(me.text.contains("finance-user"))
    // A malformed request is a 4xx JSON error, and the server keeps serving.
    let malformed = try client.get("/api/dealers/%zz", token: fixture.token(.finance))
    #expect(malformed.status == 400)
    #expect(malformed.text.hasPrefix("{\"error\""))
    #expect(try client.get("/metrics").text.contains("http_requests_total"))
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(rest.contains("stopped (0 request(s) still running"))
    let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let lines = log.split(separator: "\n").filter { $0.hasPrefix("{\"time\"") }
    #expect(lines.count >= 4)
    #expect(
      lines.contains { $0.contains("\"user\":\"finance-user\"") && $0.contains("\"status\":200") })
    #expect((try? client.get("/health")) == nil, "the port is closed after the stop")
  }
}
