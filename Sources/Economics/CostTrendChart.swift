import RebateCore

/// The cost trend as a hand-written SVG line chart: one line per mechanic and the total, x the
/// periods in order, y the share of turnover in basis points. Integer geometry only, so the same
/// trend always gives the same bytes.
extension CostTrend {
  static let chartWidth = 640
  static let chartHeight = 320
  static let margin = (left: 60, right: 150, top: 20, bottom: 40)
  static let palette = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
  ]

  public func svg() -> String {
    let plotWidth = Self.chartWidth - Self.margin.left - Self.margin.right
    let plotHeight = Self.chartHeight - Self.margin.top - Self.margin.bottom
    let top = topBasisPoints()
    func x(_ index: Int) -> Int {
      Self.margin.left
        + (periods.count <= 1 ? plotWidth / 2 : index * plotWidth / (periods.count - 1))
    }
    func y(_ basisPoints: Int) -> Int {
      Self.margin.top + plotHeight - basisPoints * plotHeight / top
    }
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.chartWidth)\" "
      + "height=\"\(Self.chartHeight)\" viewBox=\"0 0 \(Self.chartWidth) \(Self.chartHeight)\" "
      + "role=\"img\" aria-label=\"Program cost as % of turnover\">\n"
    out += "<title>Program cost as % of turnover</title>\n"
    out += line(Self.margin.left, y(0), Self.margin.left + plotWidth, y(0), "#000")
    out += line(Self.margin.left, y(0), Self.margin.left, y(top), "#000")
    for step in 0...4 {
      let value = top * step / 4
      out += label(Self.margin.left - 6, y(value) + 4, "end", percent(value))
    }
    for (index, period) in periods.enumerated() {
      out += label(x(index), y(0) + 18, "middle", period.description)
    }
    for (index, name) in series.enumerated() {
      let color = name == CostTrend.total ? "#000" : Self.palette[index % Self.palette.count]
      let coordinates = periods.enumerated().map { pair in
        "\(x(pair.offset)),\(y(basisPoints(point(pair.element, name)?.share)))"
      }
      out +=
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
        + coordinates.joined(separator: " ") + "\"/>\n"
      let legendY = Self.margin.top + 10 + index * 18
      out += line(
        Self.chartWidth - Self.margin.right + 10, legendY, Self.chartWidth - Self.margin.right + 30,
        legendY, color)
      out += label(Self.chartWidth - Self.margin.right + 34, legendY + 4, "start", name)
    }
    return out + "</svg>\n"
  }

  /// The y axis top: the largest share rounded up to a whole percent, at least 1 %.
  func topBasisPoints() -> Int {
    let highest = points.map { basisPoints($0.share) }.max() ?? 0
    return max(100, (highest + 99) / 100 * 100)
  }

  func basisPoints(_ share: ExactDecimal?) -> Int {
    guard let share else { return 0 }
    let scaled = share.rounded(scale: 4, .halfUp)
    return max(0, Int(scaled.units) * Int(pow10(4 - scaled.scale)))
  }

  private func pow10(_ exponent: Int) -> Int {
    (0..<max(0, exponent)).reduce(1) { value, _ in value * 10 }
  }

  private func percent(_ basisPoints: Int) -> String {
    "\(basisPoints / 100).\(basisPoints % 100 < 10 ? "0" : "")\(basisPoints % 100) %"
  }

  private func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, _ color: String) -> String {
    "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(color)\"/>\n"
  }

  private func label(_ x: Int, _ y: Int, _ anchor: String, _ text: String) -> String {
    "<text x=\"\(x)\" y=\"\(y)\" font-size=\"11\" text-anchor=\"\(anchor)\">"
      + HTMLText.escaped(text) + "</text>\n"
  }
}
