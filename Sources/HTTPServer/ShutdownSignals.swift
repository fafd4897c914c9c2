import Glibc

/// Turns SIGTERM/SIGINT into a call on an ordinary thread: the signals are blocked and a
/// dedicated thread takes them with `sigwait`, so nothing runs in signal-handler context and no
/// closure touches actor-isolated state from there.
///
/// Call `watch` first thing in `main`, before any other thread starts, so every later thread
/// inherits the blocked mask and the kernel can deliver the signal only to the watcher.
public final class SignalWatcher: Sendable {
  public static let shutdownSignals: [Int32] = [SIGTERM, SIGINT]

  private let thread: pthread_t

  private init(thread: pthread_t) { self.thread = thread }

  /// Starts the watcher; `action` runs once, on the watcher thread, with the signal number.
  public static func watch(
    _ signals: [Int32] = shutdownSignals, action: @escaping @Sendable (Int32) -> Void
  ) throws(ServerError) -> SignalWatcher {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in signals { sigaddset(&set, signal) }
    pthread_sigmask(SIG_BLOCK, &set, nil)
    let context = Unmanaged.passRetained(WatchContext(signals: set, action: action)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, signalWatcherMain, context)
    guard status == 0 else {
      Unmanaged<WatchContext>.fromOpaque(context).release()
      throw .startFailed("could not start the signal watcher thread (error \(status))")
    }
    return SignalWatcher(thread: thread)
  }

  /// Sends `signal` to the watcher thread only (tests, or a programmatic stop).
  public func deliver(_ signal: Int32) { pthread_kill(thread, signal) }

  /// Waits until the watcher has run its action.
  public func join() { pthread_join(thread, nil) }
}

private final class WatchContext: Sendable {
  let signals: sigset_t
  let action: @Sendable (Int32) -> Void

  init(signals: sigset_t, action: @escaping @Sendable (Int32) -> Void) {
    self.signals = signals
    self.action = action
  }
}

private func signalWatcherMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
  let watch = Unmanaged<WatchContext>.fromOpaque(context!).takeRetainedValue()
  var signals = watch.signals
  pthread_sigmask(SIG_BLOCK, &signals, nil)
  var received: Int32 = 0
  while sigwait(&signals, &received) != 0 {}
  watch.action(received)
  return nil
}
