/// A place in a policy file, 1-based, counted in characters (Unicode scalars) so an editor's
/// "go to line:column" lands on it.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let line: Int
  public let column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}
