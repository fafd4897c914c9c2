import HTTPServer
import PostgresClient
import RebateCore
import RebateStore
import SellOut

/// Sell-out uploads and their history, through `SellOutStore` (the same calls as
/// `rebate sellout submit` / `status`). The upload and its audit entry commit together.
enum SellOutHandlers {
  static let routes: [APIRoute] = [
    APIRoute(
      rule: RouteRule(
        "POST", "/api/dealers/{dealer}/sellout/{month}", roles: [.dealer, .sales, .admin],
        scope: .pathDealer, changesData: true,
        summary: "upload a monthly sell-out file (the raw file as the body)"),
      handler: upload),
    APIRoute(
      rule: RouteRule(
        "GET", "/api/dealers/{dealer}/sellout", roles: .everyone, scope: .pathDealer,
        summary: "the dealer's submission history"),
      handler: history),
  ]

  struct ErrorView: Encodable {
    let line: Int
    let column: String
    let value: String
    let reason: String
    let code: String
  }

  struct ReceiptView: Encodable {
    let dealer: String
    let month: String
    let version: Int
    let outcome: String
    let sha256: String
    let submitted_at: String
    let lines: Int
  }

  struct RejectionView: Encodable {
    struct Body: Encodable {
      let code: String
      let message: String
      let errors: [ErrorView]
      let unlisted_errors: Int
    }
    let error: Body
  }

  /// What an upload ended as: stored (or the same file again), or rejected with every error.
  enum Outcome {
    case stored(SubmissionReceipt)
    case rejected(SellOutRejection)
  }

  static func month(_ text: String) throws -> Period {
    guard let month = try? Period.parse(text), month.grain == .month else {
      throw APIError.invalidField("month", "'\(text.prefix(40))' is not a month YYYY-MM")
    }
    return month
  }

  /// Submits `bytes` as `dealer`'s report for `month`, recording who did it.
  static func submit(
    dealer: String, month: Period, bytes: [UInt8], user: String, services: APIServices
  ) throws -> Outcome {
    guard !bytes.isEmpty else { throw APIError.invalidField("file", "the file is empty") }
    return try services.withStore { store in
      do {
        return .stored(
          try store.connection.transaction(purpose: "upload sell-out of \(dealer)") { _ in
            let receipt = try SellOutStore(connection: store.connection).submit(
              dealer: dealer, month: month, bytes: bytes, submittedAt: services.now(), by: user)
            if receipt.kind == .newVersion {
              try store.audit(
                actor: user, action: "sellout.submit", subject: "\(dealer) \(month)",
                details: [
                  "version": String(receipt.version), "sha256": receipt.sha256,
                  "lines": String(receipt.lineCount),
                ])
            }
            return receipt
          })
      } catch let rejection as SellOutRejection {
        return .rejected(rejection)
      } catch let error as SellOutStoreError {
        throw APIError.rule(error.code, error.message)
      }
    }
  }

  static func errorViews(_ rejection: SellOutRejection) -> [ErrorView] {
    rejection.errors.map {
      ErrorView(
        line: $0.line, column: $0.column, value: $0.value, reason: $0.reason, code: $0.code.rawValue
      )
    }
  }

  static func receiptView(_ receipt: SubmissionReceipt) -> ReceiptView {
    ReceiptView(
      dealer: receipt.dealer, month: receipt.month.description, version: receipt.version,
      outcome: receipt.kind == .newVersion ? "new_version" : "same_file", sha256: receipt.sha256,
      submitted_at: receipt.submittedAt, lines: receipt.lineCount)
  }

  static func upload(_ call: Call) throws -> Response {
    let month = try month(call.request.parameter("month") ?? "")
    switch try submit(
      dealer: call.dealer, month: month, bytes: call.request.body, user: call.user.userName,
      services: call.services)
    {
    case .stored(let receipt):
      return try .json(
        encoding: receiptView(receipt), status: receipt.kind == .newVersion ? 201 : 200)
    case .rejected(let rejection):
      let total = rejection.errors.count + rejection.unlistedErrorCount
      return try .json(
        encoding: RejectionView(
          error: .init(
            code: "E-SELLOUT-REJECTED",
            message: "\(total) error(s); nothing stored, fix the file and send it again",
            errors: errorViews(rejection), unlisted_errors: rejection.unlistedErrorCount)),
        status: 422)
    }
  }

  static func history(_ call: Call) throws -> Response {
    struct Entry: Encodable {
      let month: String
      let version: Int
      let sha256: String
      let submitted_at: String
      let submitted_by: String
      let lines: Int
    }
    _ = try APIHandlers.dealerRecord(call.dealer, services: call.services)
    let records = try call.services.withConnection { connection in
      try SellOutStore(connection: connection).submissions(dealer: call.dealer)
    }
    return try .json(
      encoding: records.map {
        Entry(
          month: $0.month.description, version: $0.version, sha256: $0.sha256,
          submitted_at: $0.submittedAt, submitted_by: $0.submittedBy, lines: $0.lineCount)
      })
  }
}
