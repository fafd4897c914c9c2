/// An error that ends a command. Its code is stable (docs/errors.md); its message names the place
/// and the reason.
public struct CLIError: Error, CustomStringConvertible {
  public let code: String
  public let message: String
  public let exitCode: Int32

  public init(code: String, message: String, exitCode: Int32 = 1) {
    self.code = code
    self.message = message
    self.exitCode = exitCode
  }

  /// An error of another module whose description starts with its own code: the code is shown
  /// once (`E-X: reason`, never `E-X: E-X: reason`), whether or not the prefix is there.
  public init(code: String, describing description: String, exitCode: Int32 = 1) {
    let prefix = code + ": "
    self.init(
      code: code,
      message: description.hasPrefix(prefix)
        ? String(description.dropFirst(prefix.count)) : description, exitCode: exitCode)
  }

  public static func usage(_ message: String) -> CLIError {
    CLIError(code: "E-USAGE", message: message, exitCode: 2)
  }

  public var description: String { "\(code): \(message)" }
}
