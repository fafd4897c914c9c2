/// Text made safe for HTML element content and quoted attributes: the one escaping rule of every
/// page the package writes (statements, terms sheets, the dealer portal).
public enum HTMLText {
  public static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  /// A whole page: the one skeleton of every printable document (statements, terms sheets, the
  /// cost trend). `style` is the page's CSS, `body` its escaped content.
  public static func document(title: String, style: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>\(escaped(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    \(body)</body>
    </html>

    """
  }
}
