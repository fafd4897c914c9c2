import Foundation
import RebateCLI

// All behaviour lives in RebateCLI so tests can run commands in-process.
let status = CLI.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status)
