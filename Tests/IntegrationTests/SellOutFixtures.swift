import Foundation
import PostgresClient
import RebateStore

/// Master data and documents of the sell-out scenarios: E7's dealer with Q3 turnover
/// 4,200,000.00, and E8's dealer (with a twin whose reports stop before the price drop).
enum SellOutFixtures {
  static let dealers = """
    dealer,name,tier,segment,region,status
    D-E7,Отчётливый,Gold,retail,north,active
    D-E8,Склад-Юг,Gold,retail,south,active
    D-E8X,Без отчётов,Gold,retail,south,active
    D-CORPUS,Corpus,Gold,retail,east,active

    """

  /// The bad-file corpus expects this catalogue (Tests/SellOutTests/SellOutTestSupport.swift).
  static let products = """
    sku,name,category,brand,cost
    P-1,Котёл,Boilers,Nordheat,500.00
    P-7,Radiator,Radiators,Nordheat,100.00
    TV-55,TV 55,TV,Acme,100.00
    TV-65,TV 65,TV,Acme,100.00
    SB-100,Soundbar,TV,Acme,50.00
    ФЕН-1,Фен,Appliances,Acme,10.00

    """

  static let prices = """
    sku,list_price,effective_from
    P-1,1000.00,2026-01-01
    P-7,1000.00,2026-01-01

    """

  /// E8: list 1,000.00 → 900.00 effective 2026-08-15.
  static let priceChanges = """
    sku,new_list_price,effective_date
    P-1,900.00,2026-08-15

    """

  /// E8's shipments at net 800.00 to both E8 dealers; E7's Q3 turnover 4,200,000.00.
  static let invoices = """
    document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to
    INV-E8-1,invoice,D-E8,2026-05-10,2026-06-09,20,1,P-1,50,1000.00,800.00,
    INV-E8-2,invoice,D-E8,2026-07-01,2026-07-31,20,1,P-1,30,1000.00,800.00,
    INV-E8-3,invoice,D-E8,2026-08-01,2026-08-31,20,1,P-1,20,1000.00,800.00,
    INV-E8X-1,invoice,D-E8X,2026-05-10,2026-06-09,20,1,P-1,50,1000.00,800.00,
    INV-E8X-2,invoice,D-E8X,2026-07-01,2026-07-31,20,1,P-1,30,1000.00,800.00,
    INV-E8X-3,invoice,D-E8X,2026-08-01,2026-08-31,20,1,P-1,20,1000.00,800.00,
    INV-E7-1,invoice,D-E7,2026-07-10,2026-08-09,20,1,P-7,4200,1000.00,1000.00,

    """

  /// Reports that reach back before the drop: 40 + 20 = 60 units sold before 2026-08-15; the
  /// 5 units of 08-20 are after it.
  static let e8July = "Дата;Артикул;Количество\n15.07.2026;P-1;40\n"
  static let e8August = "date,sku,qty\n2026-08-10,P-1,20\n2026-08-20,P-1,5\n"

  static func e7File(_ month: String) -> String { "date,sku,qty\n\(month)-20,P-7,100\n" }

  /// A migrated database with every fixture imported.
  static func load(_ connection: Connection) throws {
    for (kind, text) in [
      (ImportKind.dealers, dealers), (.products, products), (.prices, prices),
      (.priceChanges, priceChanges), (.invoices, invoices),
    ] {
      _ = try CSVImport.run(
        kind, fileName: "\(kind.rawValue).csv", bytes: Data(text.utf8), replace: false,
        connection: connection)
    }
  }

  /// `rebate sellout submit` in-process against the test database.
  @discardableResult
  static func submit(
    _ database: TestDatabase, dealer: String, month: String, text: String, at: String,
    name: String = "report.csv"
  ) throws -> (status: Int32, out: String, err: String) {
    let path = try temporaryFile(name, text)
    return submit(database, dealer: dealer, month: month, path: path, at: at)
  }

  static func submit(
    _ database: TestDatabase, dealer: String, month: String, path: String, at: String
  ) -> (status: Int32, out: String, err: String) {
    runCLI([
      "sellout", "submit", "--dealer", dealer, "--month", month, "--at", at, "--database",
      database.conninfo, path,
    ])
  }
}
