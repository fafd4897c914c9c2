import RebateCore
import Testing

@Suite struct HTMLTextTests {
  @Test func markupCharactersAreEscapedAndTheRestKept() {
    #expect(
      HTMLText.escaped(#"<b class="x">Tom & Jerry's</b>"#)
        == "&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;")
    #expect(HTMLText.escaped("Кирилл 1,234.50 €") == "Кирилл 1,234.50 €")
    #expect(HTMLText.escaped("") == "")
  }
}
