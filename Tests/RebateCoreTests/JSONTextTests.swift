import RebateCore
import Testing

@Suite struct JSONTextTests {
  @Test func plainTextIsOnlyQuoted() {
    #expect(JSONText.quoted("E-QUOTE-NO-PRICE") == "\"E-QUOTE-NO-PRICE\"")
    #expect(JSONText.quoted("") == "\"\"")
    #expect(JSONText.quoted("Кирилл €1,234.50") == "\"Кирилл €1,234.50\"")
  }

  @Test func quotesBackslashesAndControlCharactersAreEscaped() {
    #expect(JSONText.quoted("say \"hi\"") == #""say \"hi\"""#)
    #expect(JSONText.quoted(#"C:\dir"#) == #""C:\\dir""#)
    #expect(JSONText.quoted("a\nb\rc\td") == #""a\nb\rc\td""#)
    #expect(JSONText.quoted("\u{0}\u{1F}") == #""\u0000\u001f""#)
    #expect(JSONText.quoted("Ж\u{7}") == #""Ж\u0007""#)
  }

  @Test func absentTextIsNull() {
    #expect(JSONText.quotedOrNull(nil) == "null")
    #expect(JSONText.quotedOrNull("x") == "\"x\"")
  }
}
