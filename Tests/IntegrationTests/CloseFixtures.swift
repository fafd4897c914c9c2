import Foundation
import PostgresClient

/// Data and policies of the period-close tests, in the import formats of docs/import-formats.md.
enum CloseFixtures {
  static let dealers = """
    dealer,name,tier,segment,region,status
    D-001,North,Gold,retail,north,active
    D-002,South,Silver,b2b,south,active
    D-E12,Twelve,Gold,retail,west,active

    """

  static let products = """
    sku,name,category,brand,cost
    BIG,Boiler,Heating,Acme,100.00
    P-1,Pump,Heating,Acme,100.00

    """

  static let prices = """
    sku,list_price,effective_from
    BIG,1000.00,2026-01-01
    P-1,1000.00,2026-01-01

    """

  /// E4's invoice for D-001 (net 1,000,000.00); E5's quarter of 4,200,000.00 for D-002 and
  /// its same quarter last year (4,000,000.00, for E6); E12's documents for D-E12.
  static let invoices = """
    document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to
    INV-E4,invoice,D-001,2026-07-01,2026-07-31,20,1,BIG,1000,1000.00,1000.00,
    INV-07,invoice,D-002,2026-07-10,2026-08-09,20,1,BIG,1400,1000.00,1000.00,
    INV-08,invoice,D-002,2026-08-10,2026-09-09,20,1,BIG,1400,1000.00,1000.00,
    INV-09,invoice,D-002,2026-09-10,2026-10-10,20,1,BIG,1400,1000.00,1000.00,
    INV-2025,invoice,D-002,2025-08-15,2025-09-14,20,1,BIG,4000,1000.00,1000.00,
    E12-E4,invoice,D-E12,2026-07-01,2026-07-31,20,1,BIG,1000,1000.00,1000.00,
    E12-0510,invoice,D-E12,2026-05-10,2026-06-09,20,1,P-1,50,1000.00,800.00,
    E12-0701,invoice,D-E12,2026-07-01,2026-07-31,20,1,P-1,30,1000.00,800.00,
    E12-0801,invoice,D-E12,2026-08-01,2026-08-31,20,1,P-1,20,1000.00,800.00,
    E12-REST,invoice,D-E12,2026-09-10,2026-10-10,20,1,BIG,3160,1000.00,1000.00,

    """

  /// E4's payments (gross), for D-001 and again for D-E12.
  static let payments = """
    payment,dealer,date,gross_amount,invoice
    P-1,D-001,2026-07-08,480000.00,INV-E4
    P-2,D-001,2026-07-19,420000.00,INV-E4
    P-3,D-001,2026-08-05,300000.00,
    E12-P1,D-E12,2026-07-08,480000.00,E12-E4
    E12-P2,D-E12,2026-07-19,420000.00,E12-E4
    E12-P3,D-E12,2026-08-05,300000.00,E12-E4

    """

  /// E10's late credit note (dated in Q3, arriving after Q3 closed) and a Q4 invoice.
  static let lateDocuments = """
    document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to
    CN-LATE,credit_note,D-002,2026-09-20,,20,1,BIG,300,1000.00,1000.00,INV-09
    INV-10,invoice,D-002,2026-10-05,2026-11-04,20,1,BIG,100,1000.00,1000.00,

    """

  /// E8's price drop: P-1 list 1,000.00 → 900.00 from 2026-08-15 (Gold net 800.00 → 720.00).
  static let priceChanges = """
    sku,new_list_price,effective_date
    P-1,900.00,2026-08-15

    """

  /// E7's and E8's sell-out of D-E12: monthly reports May–September (July on 08-08, August
  /// late on 09-12, September on 10-09), 60 units of P-1 sold through 08-14.
  static let sellOut = [
    submission("2026-05", received: "2026-06-05", sales: []),
    submission("2026-06", received: "2026-07-05", sales: [("2026-06-20", 40)]),
    submission("2026-07", received: "2026-08-08", sales: []),
    submission("2026-08", received: "2026-09-12", sales: [("2026-08-14", 20)]),
    submission("2026-09", received: "2026-10-09", sales: []),
  ].flatMap { $0 }

  static func submission(_ month: String, received: String, sales: [(String, Int)]) -> [String] {
    let hash = String(repeating: month.replacingOccurrences(of: "-", with: ""), count: 11).prefix(
      64)
    var statements = [
      """
      INSERT INTO sellout_submissions VALUES ('D-E12', '\(month)-01', 1, 'x'::bytea, '\(hash)',
        '\(received)T09:00:00Z', 'dealer')
      """
    ]
    for (index, sale) in sales.enumerated() {
      statements.append(
        """
        INSERT INTO sellout_lines VALUES ('D-E12', '\(month)-01', 1, \(index + 1), '\(sale.0)',
          'P-1', NULL, \(sale.1), NULL)
        """)
    }
    return statements
  }

  /// A quarterly policy with the E-examples' mechanics; `volume` is the `[volume_bonus]` body.
  static func policy(volume: String, extra: String = "") -> String {
    """
    [policy]
    id = "close-it"
    version = 1
    name = "Close integration"
    effective_from = 2026-01-01
    period = "quarter"
    tiers = ["Gold", "Silver"]

    [budget]
    cap = "3%"

    [[cascade.step]]
    name = "Gold tier"
    percent = "20%"
    tier = ["Gold"]

    [early_payment]
    [[early_payment.step]]
    max_days = 10
    rate = "2%"
    [[early_payment.step]]
    max_days = 20
    rate = "1%"

    [payment_grade]
    fallback = "C"
    [[payment_grade.rule]]
    grade = "A"
    min_paid_by_due = "95%"
    max_weighted_days_late = 1
    [[payment_grade.rule]]
    grade = "B"
    min_paid_by_due = "80%"

    [volume_bonus]
    \(volume)
    [[volume_bonus.tier]]
    from = 1_000_000.00
    rate = "1%"
    [[volume_bonus.tier]]
    from = 3_000_000.00
    rate = "2%"
    [[volume_bonus.tier]]
    from = 5_000_000.00
    rate = "3%"
    \(extra)
    """
  }

  static let e12Extra = """

    [reporting_bonus]
    due_day = 10
    rate = "0.5%"
    payout = "pro_rata"

    [price_protection]
    window_days = 60
    coverage = "require_sell_out_coverage"
    """

  /// Imports master data and documents through the real `rebate import` commands.
  static func load(_ database: TestDatabase) throws {
    for (kind, text) in [
      ("dealers", dealers), ("products", products), ("prices", prices), ("invoices", invoices),
      ("payments", payments), ("price-changes", priceChanges),
    ] {
      let file = try temporaryFile("\(kind).csv", text)
      let run = runCLI(["import", kind, file, "--database", database.conninfo])
      guard run.status == 0 else { throw HarnessError("import \(kind): \(run.err)") }
    }
    let connection = try database.connect()
    defer { connection.close() }
    for statement in sellOut { try connection.execute(statement, purpose: "load sell-out") }
  }
}
