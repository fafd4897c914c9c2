import HTTPServer

/// A `multipart/form-data` body (RFC 7578) as the portal's upload form sends it: named parts,
/// each with its bytes. Strict: a body that does not follow the format is a 400, never a guess.
struct MultipartForm {
  /// The upload form has two fields; the cap bounds parsing work on hostile bodies.
  static let maxParts = 8
  static let maxPartHeaderBytes = 4096

  struct Part {
    let name: String
    let fileName: String?
    let bytes: [UInt8]
  }

  let parts: [Part]

  func part(_ name: String) -> Part? { parts.first { $0.name == name } }

  init(_ request: Request, allowed: [String]) throws {
    let contentType = request.headers["Content-Type"] ?? ""
    guard contentType.lowercased().hasPrefix("multipart/form-data"),
      let boundary = Self.boundary(contentType)
    else {
      throw Self.malformed("the upload must be multipart/form-data with a boundary")
    }
    parts = try Self.parse(request.body, boundary: Array(("--" + boundary).utf8))
    let unknown = parts.map(\.name).filter { !allowed.contains($0) }
    guard unknown.isEmpty else { throw APIError.unknownFields(unknown, allowed: allowed) }
  }

  static func malformed(_ reason: String) -> HTTPError {
    HTTPError(status: 400, code: "E-API-MULTIPART", message: reason)
  }

  static func boundary(_ contentType: String) -> String? {
    for parameter in contentType.split(separator: ";").dropFirst() {
      let pair = parameter.trimmingCharacters(in: " ").split(separator: "=", maxSplits: 1)
      guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
      var value = String(pair[1])
      if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
        value = String(value.dropFirst().dropLast())
      }
      return (1...70).contains(value.utf8.count) ? value : nil
    }
    return nil
  }

  static func parse(_ body: [UInt8], boundary: [UInt8]) throws -> [Part] {
    guard var cursor = find(boundary, in: body, from: 0) else {
      throw malformed("the body has no boundary line")
    }
    var parts: [Part] = []
    let crlf: [UInt8] = [13, 10]
    while true {
      cursor += boundary.count
      if body[cursor...].starts(with: [45, 45]) { return parts }  // "--": the closing boundary
      guard body[cursor...].starts(with: crlf) else {
        throw malformed("a boundary line is malformed")
      }
      cursor += 2
      guard let headerEnd = find([13, 10, 13, 10], in: body, from: cursor),
        headerEnd - cursor <= maxPartHeaderBytes
      else { throw malformed("a part's headers do not end") }
      let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
      cursor = headerEnd + 4
      guard let next = find(crlf + boundary, in: body, from: cursor) else {
        throw malformed("a part does not end with the boundary")
      }
      let (name, fileName) = try disposition(headers)
      parts.append(Part(name: name, fileName: fileName, bytes: Array(body[cursor..<next])))
      guard parts.count <= maxParts else { throw malformed("more than \(maxParts) parts") }
      cursor = next + 2
    }
  }

  /// `name` and `filename` of a part's `Content-Disposition: form-data` header.
  static func disposition(_ headers: String) throws -> (String, String?) {
    for line in headers.split(separator: "\r\n") {
      guard line.lowercased().hasPrefix("content-disposition:") else { continue }
      var name: String?
      var fileName: String?
      for item in line.split(separator: ";").dropFirst() {
        let pair = item.trimmingCharacters(in: " ").split(separator: "=", maxSplits: 1)
        guard pair.count == 2 else { continue }
        let value = String(pair[1]).trimmingCharacters(in: "\"")
        switch pair[0].lowercased() {
        case "name": name = value
        case "filename": fileName = value
        default: continue
        }
      }
      guard let name else { break }
      return (name, fileName)
    }
    throw malformed("a part has no Content-Disposition name")
  }

  /// The first index of `needle` in `haystack` at or after `start`.
  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count
    else { return nil }
    let first = needle[0]
    var index = start
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle)
      {
        return index
      }
      index += 1
    }
    return nil
  }
}

extension StringProtocol {
  /// Without leading and trailing `character`s.
  fileprivate func trimmingCharacters(in character: Character) -> String {
    String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
  }
}
