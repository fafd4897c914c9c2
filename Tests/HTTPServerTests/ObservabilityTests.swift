import Foundation
import HTTPServer
import Testing

@Suite struct ObservabilityTests {
  @Test func healthAnswersOK() throws {
    let fixture = try TestServer(router: Router())
    defer { fixture.server.shutdown() }
    let reply = try Client.get(port: fixture.port, "/health")
    #expect(reply.status == 200)
    #expect(reply.text == "{\"status\":\"ok\"}")
  }

  @Test func everyRequestLeavesOneAccessLogLine() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let ok = try Client.get(port: fixture.port, "/api/dealers/D-9/statements/2026-07")
    _ = try Client.get(port: fixture.port, "/missing")
    let lines = fixture.log.waitFor(count: 2)
    try #require(lines.count == 2)
    let first = try #require(lines.first { $0["status"] as? Int == 200 })
    #expect(first["method"] as? String == "GET")
    #expect(first["path"] as? String == "/api/dealers/D-9/statements/2026-07")
    #expect(first["bytes"] as? Int == ok.body.count)
    #expect(first["request_id"] as? String == ok.header("X-Request-Id"))
    #expect(first["user"] is NSNull)
    #expect(first["remote"] as? String == "127.0.0.1")
    let duration = try #require(first["duration_us"] as? Int)
    #expect(duration >= 0 && duration < 5_000_000)
    let time = try #require(first["time"] as? String)
    #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
    #expect(lines.contains { $0["status"] as? Int == 404 && $0["path"] as? String == "/missing" })
  }

  @Test func metricsCountByRouteAndStatusWithACumulativeHistogram() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    for dealer in ["D-1", "D-2", "D-3"] {
      _ = try Client.get(port: fixture.port, "/api/dealers/\(dealer)/statements/2026-Q3")
    }
    _ = try Client.get(port: fixture.port, "/nowhere")
    _ = fixture.log.waitFor(count: 4)
    let reply = try Client.get(port: fixture.port, "/metrics")
    #expect(reply.status == 200)
    #expect(reply.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
    let lines = reply.text.split(separator: "\n").map(String.init)
    let route = "route=\"/api/dealers/{dealer}/statements/{period}\""
    #expect(lines.contains("http_requests_total{\(route),method=\"GET\",status=\"200\"} 3"))
    #expect(
      lines.contains("http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"))
    #expect(lines.contains("# TYPE http_request_duration_seconds histogram"))
    #expect(lines.contains("http_request_duration_seconds_bucket{\(route),le=\"+Inf\"} 3"))
    #expect(lines.contains("http_request_duration_seconds_count{\(route)} 3"))
    // Buckets are cumulative: never decreasing, ending at the count.
    let buckets = lines.filter { $0.hasPrefix("http_request_duration_seconds_bucket{\(route)") }
      .compactMap { Int($0.split(separator: " ").last!) }
    #expect(buckets.count == Metrics.latencyBucketBoundsMicroseconds.count + 1)
    #expect(buckets == buckets.sorted())
    #expect(buckets.last == 3)
    // The /metrics request itself is in flight while it renders.
    #expect(lines.contains("http_requests_in_flight 1"))
    #expect(lines.contains("http_uploads_in_flight 0"))
    // Every sample line is `name{labels} value` or `name value`.
    for line in lines where !line.hasPrefix("#") {
      #expect(line.wholeMatch(of: /[a-z_]+(\{.*\})? [0-9.]+/) != nil, "\(line)")
    }
  }
}
