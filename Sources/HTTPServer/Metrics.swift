import Synchronization

/// Request counters, a latency histogram and gauges, rendered in the Prometheus text exposition
/// format (version 0.0.4). Labels are route patterns, methods and statuses, all bounded sets.
public final class Metrics: Sendable {
  /// Upper bounds of the latency buckets, in microseconds (1 ms … 10 s).
  public static let latencyBucketBoundsMicroseconds: [Int] = [
    1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
    5_000_000, 10_000_000,
  ]
  /// Label combinations kept; beyond it new ones are folded into route "overflow".
  public static let maxSeries = 4096
  static let knownMethods: Set<String> = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
  ]

  private let state = Mutex(State())
  let requestsInFlight = Atomic<Int>(0)
  let uploadsInFlight = Atomic<Int>(0)

  public init() {}

  private struct SeriesKey: Hashable, Comparable {
    let route: String
    let method: String
    let status: Int

    static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
      (lhs.route, lhs.method, lhs.status) < (rhs.route, rhs.method, rhs.status)
    }
  }

  private struct Histogram {
    var bucketCounts = [Int](repeating: 0, count: Metrics.latencyBucketBoundsMicroseconds.count)
    var count = 0
    var sumMicroseconds = 0

    mutating func observe(_ microseconds: Int) {
      count += 1
      sumMicroseconds += microseconds
      if let index = Metrics.latencyBucketBoundsMicroseconds.firstIndex(where: {
        microseconds <= $0
      }) {
        bucketCounts[index] += 1
      }
    }
  }

  private struct State {
    var requestCounts: [SeriesKey: Int] = [:]
    var latencyByRoute: [String: Histogram] = [:]
  }

  /// Records one answered request.
  func record(route: String, method: String, status: Int, durationMicroseconds: Int) {
    let methodLabel = Self.knownMethods.contains(method) ? method : "OTHER"
    state.withLock { state in
      var key = SeriesKey(route: route, method: methodLabel, status: status)
      if state.requestCounts[key] == nil && state.requestCounts.count >= Self.maxSeries {
        key = SeriesKey(route: "overflow", method: methodLabel, status: status)
      }
      state.requestCounts[key, default: 0] += 1
      let histogramRoute =
        state.latencyByRoute[key.route] == nil && state.latencyByRoute.count >= Self.maxSeries
        ? "overflow" : key.route
      state.latencyByRoute[histogramRoute, default: Histogram()].observe(durationMicroseconds)
    }
  }

  /// The current values in Prometheus text format.
  public func exposition() -> String {
    let (counts, latencies) = state.withLock { ($0.requestCounts, $0.latencyByRoute) }
    var lines: [String] = []
    lines.append(
      "# HELP http_requests_total Requests answered, by route pattern, method and status.")
    lines.append("# TYPE http_requests_total counter")
    for key in counts.keys.sorted() {
      let labels = "route=\(Self.label(key.route)),method=\(Self.label(key.method)),"
      lines.append("http_requests_total{\(labels)status=\"\(key.status)\"} \(counts[key]!)")
    }
    lines.append("# HELP http_request_duration_seconds Time from first byte to response, by route.")
    lines.append("# TYPE http_request_duration_seconds histogram")
    for route in latencies.keys.sorted() {
      let histogram = latencies[route]!
      let routeLabel = "route=\(Self.label(route))"
      var cumulative = 0
      for (bound, count) in zip(Self.latencyBucketBoundsMicroseconds, histogram.bucketCounts) {
        cumulative += count
        lines.append(
          "http_request_duration_seconds_bucket{\(routeLabel),le=\"\(Self.seconds(bound))\"} \(cumulative)"
        )
      }
      lines.append(
        "http_request_duration_seconds_bucket{\(routeLabel),le=\"+Inf\"} \(histogram.count)")
      lines.append(
        "http_request_duration_seconds_sum{\(routeLabel)} \(Self.seconds(histogram.sumMicroseconds))"
      )
      lines.append("http_request_duration_seconds_count{\(routeLabel)} \(histogram.count)")
    }
    lines.append("# HELP http_requests_in_flight Requests received and not yet answered.")
    lines.append("# TYPE http_requests_in_flight gauge")
    lines.append("http_requests_in_flight \(requestsInFlight.load(ordering: .relaxed))")
    lines.append("# HELP http_uploads_in_flight Requests whose body is being received.")
    lines.append("# TYPE http_uploads_in_flight gauge")
    lines.append("http_uploads_in_flight \(uploadsInFlight.load(ordering: .relaxed))")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Microseconds as exact decimal seconds ("0.025", "1.5", "10").
  static func seconds(_ microseconds: Int) -> String {
    let whole = microseconds / 1_000_000
    var fraction = String(microseconds % 1_000_000)
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
  }

  /// A label value in quotes with `\`, `"` and newline escaped, as the format requires.
  static func label(_ value: String) -> String {
    var out = "\""
    for character in value {
      switch character {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      default: out.append(character)
      }
    }
    return out + "\""
  }
}
