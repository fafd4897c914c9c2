import RebateCore

/// Generates the whole sample data set row by row. `emit` receives each table's header first and
/// then its rows; tables are emitted in import order (dealers, products, prices, price changes,
/// then invoices and payments interleaved per dealer), so a caller can stream them into files.
public func generateSampleData(_ plan: SamplePlan, emit: (SampleTable, String) -> Void) {
  for table in SampleTable.allCases { emit(table, table.header) }
  let dealers = Network.dealers(plan)
  for dealer in dealers {
    emit(
      .dealers,
      "\(dealer.code),\(dealer.name),\(dealer.tier),\(dealer.segment),\(dealer.region),"
        + dealer.status)
  }
  let products = Catalog.products(plan)
  for product in products {
    emit(
      .products,
      "\(product.sku),\(product.name),\(product.category),\(product.brand),"
        + Money(minor: product.costMinor).description)
    for (day, priceMinor) in product.listPrices {
      emit(.prices, "\(product.sku),\(Money(minor: priceMinor)),\(day)")
    }
    for (day, priceMinor) in product.listPrices.dropFirst(2) {
      emit(.priceChanges, "\(product.sku),\(Money(minor: priceMinor)),\(day)")
    }
  }
  let trade = Trade(plan: plan, products: products)
  for (index, dealer) in dealers.enumerated() {
    trade.generate(dealer: dealer, dealerIndex: index, emit: emit)
  }
}
