/// A set of products a mechanic is restricted to. A line belongs to the group when its category,
/// its brand or its SKU is listed; an empty group matches nothing.
public struct ProductGroup: Sendable, Hashable {
  public var categories: Set<String>
  public var brands: Set<String>
  public var skus: Set<String>

  public init(categories: Set<String> = [], brands: Set<String> = [], skus: Set<String> = []) {
    self.categories = categories
    self.brands = brands
    self.skus = skus
  }

  public func contains(_ line: DocumentLine) -> Bool {
    categories.contains(line.category) || brands.contains(line.brand) || skus.contains(line.sku)
  }

  /// Sorted, so explanations and fingerprints do not depend on set order.
  public var label: String {
    var parts: [String] = []
    if !categories.isEmpty {
      parts.append("categories " + categories.sorted().joined(separator: ", "))
    }
    if !brands.isEmpty { parts.append("brands " + brands.sorted().joined(separator: ", ")) }
    if !skus.isEmpty { parts.append("SKUs " + skus.sorted().joined(separator: ", ")) }
    return parts.isEmpty ? "nothing" : parts.joined(separator: "; ")
  }
}
