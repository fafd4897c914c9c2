import RebateCore
import SellOut
import Testing

@Suite struct SellOutFileReaderTests {
  func day(_ text: String) -> Day { try! Day.parse(text) }

  @Test func commaSeparatedUTF8WithISODates() throws {
    let file = try Dealer.read("Date,SKU,Qty\n2026-07-01,TV-55,3\n2026-07-31,TV-65,1\n")
    #expect(file.delimiter == .comma)
    #expect(file.encoding == .utf8)
    #expect(
      file.lines == [
        SellOutLine(
          lineNumber: 2, day: day("2026-07-01"), sku: "TV-55", quantity: 3, resalePrice: nil),
        SellOutLine(
          lineNumber: 3, day: day("2026-07-31"), sku: "TV-65", quantity: 1, resalePrice: nil),
      ])
    #expect(
      file.sha256
        == SHA256.hex(Array("Date,SKU,Qty\n2026-07-01,TV-55,3\n2026-07-31,TV-65,1\n".utf8)))
  }

  @Test func semicolonRussianHeadersDecimalCommaAndDottedDates() throws {
    let file = try Dealer.read(
      "Дата;Артикул;Количество;Цена\r\n05.07.2026;TV-55;2;1 234,50\r\n06.07.2026;SB-100;1;99\r\n")
    #expect(file.delimiter == .semicolon)
    #expect(
      file.lines.map(\.resalePrice) == [try Money.parse("1234.50"), try Money.parse("99.00")])
    #expect(file.lines.map(\.day) == [day("2026-07-05"), day("2026-07-06")])
  }

  @Test func tabSeparatedWithNoBreakSpaceGrouping() throws {
    let file = try Dealer.read("SKU\tQty\tDate\tPrice\nTV-55\t1\u{00A0}200\t2026-07-10\t12.5\n")
    #expect(file.delimiter == .tab)
    #expect(file.lines.first?.quantity == 1200)
    #expect(file.lines.first?.resalePrice == (try Money.parse("12.50")))
  }

  @Test func headersAreCaseAndSpacingInsensitive() throws {
    let file = try Dealer.read(" date ;  s k u;QTY ;  цЕНа\n2026-07-01;TV-55;4;\n")
    #expect(file.lines.map(\.quantity) == [4])
    #expect(file.lines.first?.resalePrice == nil)
  }

  @Test func quantityWithZeroDecimalsIsWhole() throws {
    let file = try Dealer.read("Date;SKU;Qty\n2026-07-01;TV-55;5,000\n")
    #expect(file.lines.first?.quantity == 5)
  }

  @Test func excelExportWithBOMQuotesAndEmptyRows() throws {
    let file = try SellOutFileReader(settings: Dealer.settings()).read(
      try Fixtures.bytes("good/excel-utf8-bom.csv"))
    #expect(file.encoding == .utf8WithBOM)
    #expect(file.delimiter == .semicolon)
    #expect(file.lines.map(\.sku) == ["TV-55", "SB-100"])
    #expect(file.lines.map(\.lineNumber) == [2, 3])
  }

  @Test func windows1251ExportFrom1C() throws {
    let bytes = try Fixtures.bytes("good/windows-1251-1c-export.csv")
    let file = try SellOutFileReader(settings: Dealer.settings()).read(bytes)
    #expect(file.encoding == .windows1251)
    #expect(file.sha256 == SHA256.hex(bytes))
    #expect(
      file.lines == [
        SellOutLine(
          lineNumber: 2, day: day("2026-07-01"), sku: "ФЕН-1", quantity: 3,
          resalePrice: try Money.parse("1499.90")),
        SellOutLine(
          lineNumber: 3, day: day("2026-07-15"), sku: "SB-100", quantity: 12,
          resalePrice: try Money.parse("45000.00")),
        SellOutLine(
          lineNumber: 4, day: day("2026-07-31"), sku: "TV-65", quantity: 1, resalePrice: nil),
      ])
  }

  @Test func windows1251BytesWrittenByHand() throws {
    // "Дата;Артикул;Количество" in Windows-1251, then a line with the code "ФЕН-1".
    let header: [UInt8] = [
      0xC4, 0xE0, 0xF2, 0xE0, 0x3B, 0xC0, 0xF0, 0xF2, 0xE8, 0xEA, 0xF3, 0xEB, 0x3B, 0xCA, 0xEE,
      0xEB, 0xE8, 0xF7, 0xE5, 0xF1, 0xF2, 0xE2, 0xEE, 0x0A,
    ]
    let line = Array("01.07.2026;".utf8) + [0xD4, 0xC5, 0xCD] + Array("-1;7\n".utf8)
    let file = try SellOutFileReader(settings: Dealer.settings()).read(header + line)
    #expect(file.lines.map(\.sku) == ["ФЕН-1"])
    #expect(file.lines.map(\.quantity) == [7])
  }

  @Test func quotedFieldsHoldDelimitersQuotesAndNewlines() throws {
    let text =
      "Date,SKU,Qty,Customer\n"
      + "2026-07-01,TV-55,1,\"Smith, John\"\n"
      + "2026-07-02,\"TV-65\",2,\"said \"\"hi\"\"\"\n"
      + "2026-07-03,SB-100,3,\"two\nlines\"\n"
      + "2026-07-04,TV-55,4,plain\n"
    let file = try Dealer.read(text)
    #expect(file.lines.map(\.quantity) == [1, 2, 3, 4])
    #expect(file.lines.map(\.lineNumber) == [2, 3, 4, 6])
  }

  @Test func dealerCodesGoThroughTheCrossReference() throws {
    let file = try Dealer.read("Код;Количество;Дата\nD-100;1;01.07.2026\nД-100;2;02.07.2026\n")
    #expect(file.lines.map(\.sku) == ["TV-55", "SB-100"])
  }

  @Test func dealerColumnMappingNamesItsOwnHeaders() throws {
    let settings = Dealer.settings(columnMapping: [
      "Номенклатура.Код": .sku, "Отгружено, шт": .quantity, "Период": .date,
    ])
    let file = try Dealer.read(
      "Период;Номенклатура.Код;Отгружено, шт;Склад\n03.07.2026;TV-55;9;Main\n", settings)
    #expect(file.lines.map(\.quantity) == [9])
  }

  @Test func returnsAreAcceptedWhereTheTermsAllowThem() throws {
    let text = "Date,SKU,Qty\n2026-07-01,TV-55,5\n2026-07-02,TV-55,-2\n2026-07-03,TV-55,0\n"
    #expect(throws: SellOutRejection.self) { try Dealer.read(text) }
    let file = try Dealer.read(text, Dealer.settings(allowsReturns: true))
    #expect(file.lines.map(\.quantity) == [5, -2, 0])
  }

  @Test func aHeaderOnlyFileIsANilReport() throws {
    let file = try Dealer.read("Date,SKU,Qty\n")
    #expect(file.lines.isEmpty)
  }

  @Test func tooManyLinesStopsReading() throws {
    let limits = SellOutLimits(maxDataLines: 3)
    let text = "Date,SKU,Qty\n" + (1...5).map { "2026-07-0\($0),TV-55,1\n" }.joined()
    let rejection = try #require(
      Dealer.rejection(Array(text.utf8), Dealer.settings(limits: limits)))
    #expect(rejection.errors.map(\.expectedForm) == ["5,,E-SELLOUT-TOO-MANY-LINES"])
  }

  @Test func rejectionCarriesTheHashAndReadsWell() throws {
    let bytes = Array("Date,SKU,Qty\n2026-07-01,NOPE,1\n".utf8)
    let rejection = try #require(Dealer.rejection(bytes))
    #expect(rejection.sha256 == SHA256.hex(bytes))
    #expect(
      rejection.description
        == "E-SELLOUT-SKU-UNKNOWN: line 2, column 'SKU': 'NOPE' neither our SKU nor one of your "
        + "codes in the agreed cross-reference")
  }
}
