/// Small import files in the exact formats of docs/import-formats.md.
enum ImportFixtures {
  static let dealers = """
    dealer,name,tier,segment,region,status
    D-001,Дилер «Север»,gold,retail,north,active
    D-002,"Acme, Inc",silver,b2b,south,active
    D-003,Ёлка-Маркет,bronze,retail,east,suspended

    """

  static let products = """
    sku,name,category,brand,cost
    SKU-1,Дрель ударная,tools,Bosch,6900.00
    SKU-2,Saw,tools,Makita,12.5
    SKU-3,Lamp,lighting,Philips,3

    """

  static let prices = """
    sku,list_price,effective_from
    SKU-1,10000.00,2026-01-01
    SKU-2,20,2026-01-01
    SKU-3,5.50,2026-01-01

    """

  /// E4's invoice (net 1,000,000.00 = 100 × 10,000.00) and E10's credit note (net 300,000.00).
  static let invoices = """
    document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to
    INV-1,invoice,D-001,2026-07-01,2026-07-31,20,1,SKU-1,60,10000.00,6840.00,
    INV-1,invoice,D-001,2026-07-01,2026-07-31,20,2,SKU-1,40,10000.00,14740.00,
    INV-2,invoice,D-002,2026-07-15,2026-08-14,20,1,SKU-2,10,20.00,16.00,
    CN-1,credit_note,D-001,2026-09-20,,20,1,SKU-1,30,10000.00,10000.00,INV-1

    """

  /// E4's payments (gross) against INV-1.
  static let payments = """
    payment,dealer,date,gross_amount,invoice
    P-1,D-001,2026-07-08,480000.00,INV-1
    P-2,D-001,2026-07-19,420000.00,INV-1
    P-3,D-001,2026-08-05,300000.00,

    """

  /// E8's price drop.
  static let priceChanges = """
    sku,new_list_price,effective_date
    SKU-1,900.00,2026-08-15

    """
}
