extension Dictionary {
  /// The unique-keys initialiser of the standard library without its trap: the first key met twice is handed to
  /// `duplicate`, whose error is thrown. For data from outside (files, the database, a
  /// scenario), where a repeated key is a refusal with a code, never a crash.
  public init<Pairs: Sequence, Failure: Error>(
    uniqueKeys pairs: Pairs, duplicate: (Key) -> Failure
  ) throws(Failure) where Pairs.Element == (Key, Value) {
    self.init()
    for (key, value) in pairs {
      guard updateValue(value, forKey: key) == nil else { throw duplicate(key) }
    }
  }
}
