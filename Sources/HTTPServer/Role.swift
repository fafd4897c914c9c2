import RebateCore

/// What a user may do. A dealer user is bound to exactly one dealer and sees only that
/// dealer's data; the others are internal staff.
public enum Role: String, Sendable, CaseIterable, Codable {
  case dealer
  case sales
  case finance
  case auditor
  case admin

  /// Auditors read everything and change nothing.
  public var isReadOnly: Bool { self == .auditor }
}

/// An authenticated user as a handler sees it.
public struct Principal: Sendable, Equatable {
  public let userName: String
  public let role: Role
  /// The dealer a `.dealer` user is bound to; nil for every other role.
  public let dealerCode: String?

  /// Fails with `E-HTTP-PRINCIPAL` when the dealer binding does not match the role: a dealer user
  /// without a dealer, or a staff user with one, is a data error, never a wider grant.
  public init(userName: String, role: Role, dealerCode: String?) throws(HTTPError) {
    guard !userName.isEmpty else { throw Self.invalid("a user has an empty name") }
    switch (role, dealerCode) {
    case (.dealer, .some(let code)) where !code.isEmpty: break
    case (.dealer, _): throw Self.invalid("dealer user '\(userName)' is not bound to a dealer")
    case (_, nil): break
    case (_, .some): throw Self.invalid("\(role) user '\(userName)' must not carry a dealer code")
    }
    self.userName = userName
    self.role = role
    self.dealerCode = dealerCode
  }

  /// Whether this user may see data of dealer `code`: a dealer user only its own, compared by
  /// UTF-8 bytes as PostgreSQL compares it (Swift's `==` would call a precomposed and a
  /// decomposed `Ё` one dealer).
  public func maySee(dealer code: String) -> Bool {
    guard role == .dealer else { return true }
    return dealerCode.map { $0.utf8.elementsEqual(code.utf8) } ?? false
  }

  /// 403 unless the role is one of `roles`.
  public func require(_ roles: Set<Role>) throws(HTTPError) {
    guard roles.contains(role) else {
      let names = roles.map(\.rawValue).sorted().joined(separator: ", ")
      throw HTTPError.forbidden("role \(role.rawValue) may not do this; needs one of: \(names)")
    }
  }

  /// 403 unless this user may see dealer `code`.
  public func requireAccess(toDealer code: String) throws(HTTPError) {
    guard maySee(dealer: code) else {
      throw HTTPError.forbidden(
        "user \(Identifier.printable(userName)) may not see dealer \(Identifier.printable(code))")
    }
  }

  private static func invalid(_ message: String) -> HTTPError {
    HTTPError(status: 500, code: "E-HTTP-PRINCIPAL", message: message)
  }
}
