/// Spreads `total` over parts in proportion to `weights` by the largest-remainder method, so the
/// parts always sum exactly to the whole (E9). Ties in the remainder go to the earlier part.
/// Weights must be non-negative with a positive sum; a negative total is allocated as the
/// negation of the allocation of its magnitude, so signs never split.
public func allocate(_ total: Money, overWeights weights: [Int64]) throws(CoreError) -> [Money] {
  precondition(!weights.isEmpty, "allocation needs at least one part")
  precondition(weights.allSatisfy { $0 >= 0 }, "allocation weights are non-negative")
  var weightSum: Int128 = 0
  for weight in weights { weightSum += Int128(weight) }
  guard weightSum > 0 else { throw .invalidNumber("weights", reason: "allocation over zero basis") }
  let magnitude = Int128(total.minor.magnitude)
  var parts: [Int128] = []
  var remainders: [(remainder: Int128, index: Int)] = []
  parts.reserveCapacity(weights.count)
  var allocated: Int128 = 0
  for (index, weight) in weights.enumerated() {
    let (product, overflow) = magnitude.multipliedReportingOverflow(by: Int128(weight))
    guard !overflow else { throw .overflow("allocation of \(total)") }
    parts.append(product / weightSum)
    remainders.append((product % weightSum, index))
    allocated += product / weightSum
  }
  var leftover = magnitude - allocated
  remainders.sort {
    $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index
  }
  var cursor = 0
  while leftover > 0 {
    parts[remainders[cursor].index] += 1
    leftover -= 1
    cursor += 1
  }
  let sign: Int64 = total.minor < 0 ? -1 : 1
  let result = parts.map { Money(minor: sign * Int64($0)) }
  assert(result.reduce(Int64(0)) { $0 + $1.minor } == total.minor, "allocation sums to the whole")
  return result
}

/// Allocation over money bases (invoice line amounts), the common case.
public func allocate(_ total: Money, overBases bases: [Money]) throws(CoreError) -> [Money] {
  try allocate(total, overWeights: bases.map { max(0, $0.minor) })
}
