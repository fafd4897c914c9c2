import Foundation
import Glibc
import HTTPServer
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
  @Test func fiftyClientsAtOnceAllGetTheirOwnAnswer() throws {
    let fixture = try TestServer(router: sampleRouter())
    defer { fixture.server.shutdown() }
    let port = fixture.port
    let clients = (0..<50).map { index in
      Background {
        try Client.get(port: port, "/api/dealers/D-\(index)/statements/2026-Q\(index % 4 + 1)")
      }
    }
    for (index, client) in clients.enumerated() {
      let reply = try client.value()
      #expect(reply.status == 200)
      let body = try reply.json()
      #expect(body["dealer"] as? String == "D-\(index)")
      #expect(body["period"] as? String == "2026-Q\(index % 4 + 1)")
    }
    let lines = fixture.log.waitFor(count: 50)
    #expect(lines.count == 50)
    #expect(Set(lines.compactMap { $0["request_id"] as? String }).count == 50)
    let metrics = fixture.server.metrics.exposition()
    #expect(
      metrics.contains(
        "http_requests_total{route=\"/api/dealers/{dealer}/statements/{period}\",method=\"GET\",status=\"200\"} 50"
      ))
  }

  @Test func shutdownLetsTheSlowRequestFinishAndRefusesNewConnections() throws {
    let entered = DispatchSemaphore(value: 0)
    let fixture = try TestServer { request in
      if request.path == "/slow" {
        entered.signal()
        usleep(600_000)
        return .text("finished")
      }
      return .text("fast")
    }
    let port = fixture.port
    let slow = Background { try Client.get(port: port, "/slow") }
    #expect(entered.wait(timeout: .now() + 5) == .success)
    let server = fixture.server
    let stopping = Background { server.shutdown() }
    // Once shutdown begins a new connection is closed unanswered, while /slow still runs.
    try waitUntil {
      (try? Client.get(port: port, "/fast")) == nil
    }
    #expect(throws: (any Error).self) { try Client.get(port: port, "/fast") }
    let reply = try slow.value()
    #expect(reply.status == 200)
    #expect(reply.text == "finished")
    #expect(try stopping.value() == 0)
    #expect(!server.isRunning)
  }

  @Test func shutdownStopsWaitingAfterTheGracePeriod() throws {
    var limits = TestServer.smallLimits
    limits.shutdownGraceMilliseconds = 100
    let entered = DispatchSemaphore(value: 0)
    let fixture = try TestServer(limits: limits) { _ in
      entered.signal()
      usleep(1_500_000)
      return .text("late")
    }
    let port = fixture.port
    let slow = Background { try? Client.get(port: port, "/") }
    #expect(entered.wait(timeout: .now() + 5) == .success)
    let started = Date()
    let abandoned = fixture.server.shutdown()
    // The grace period ran out with the request still in the handler; stop waited for the
    // worker thread, but not for more than the handler's own time.
    #expect(abandoned == 1)
    #expect(Date().timeIntervalSince(started) < 3)
    _ = try slow.value()
  }

  @Test func aSignalStopsTheServerThroughTheWatcherThread() throws {
    let fixture = try TestServer(router: Router())
    let server = fixture.server
    let received = Atomic<Int32>(0)
    let watcher = try SignalWatcher.watch([SIGUSR2]) { signal in
      received.store(signal, ordering: .releasing)
      server.shutdown()
    }
    #expect(try Client.get(port: fixture.port, "/health").status == 200)
    watcher.deliver(SIGUSR2)
    watcher.join()
    #expect(received.load(ordering: .acquiring) == SIGUSR2)
    #expect(!server.isRunning)
    #expect(throws: ConnectError.self) { try Connection(port: fixture.port) }
  }

  @Test func aSecondServerCannotTakeTheSamePort() throws {
    let fixture = try TestServer(router: Router())
    defer { fixture.server.shutdown() }
    let clash = Server(configuration: ServerConfiguration(port: fixture.port, threadCount: 1)) {
      _ in .text("")
    }
    do {
      try clash.start()
      Issue.record("a second server started on port \(fixture.port)")
    } catch {
      #expect(error.code == "E-HTTP-START")
      #expect(error.description.hasPrefix("E-HTTP-START: the HTTP server did not start"))
    }
  }
}
