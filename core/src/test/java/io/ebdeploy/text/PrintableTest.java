package io.ebdeploy.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void of_ordinaryNames_unchanged() {
    for (String name :
        new String[] {"app.py", "données/été.txt", "name with spaces", "C:\\dir\\file", "日本.txt"}) {
      assertThat(Printable.of(name)).isSameAs(name);
      assertThat(Printable.needsEscaping(name)).isFalse();
    }
  }

  @Test
  void of_controlCharacters_escapedOnOneLine() {
    assertThat(Printable.of("a\nINFO: ok")).isEqualTo("a\\nINFO: ok");
    assertThat(Printable.of("tab\there\r")).isEqualTo("tab\\there\\r");
    assertThat(Printable.of("\u001b[2Jclear")).isEqualTo("\\x1b[2Jclear");
    assertThat(Printable.of("del\u007f c1\u0085")).isEqualTo("del\\x7f c1\\x85");
  }

  @Test
  void of_invisibleFormatting_escaped() {
    assertThat(Printable.of("invoice\u202Efdp.exe")).isEqualTo("invoice\\u202Efdp.exe");
    assertThat(Printable.of("a\u2066b\u2069")).isEqualTo("a\\u2066b\\u2069");
    assertThat(Printable.of("zero\u200Bwidth")).isEqualTo("zero\\u200Bwidth");
    assertThat(Printable.of("line\u2028sep")).isEqualTo("line\\u2028sep");
  }

  @Test
  void of_backslashDoubledOnlyWhenSomethingIsEscaped() {
    assertThat(Printable.of("a\\nb"))
        .as("a literal backslash-n, nothing to escape")
        .isEqualTo("a\\nb");
    assertThat(Printable.of("a\\nb\n")).as("unambiguous once escaping").isEqualTo("a\\\\nb\\n");
  }

  @Test
  void of_null_printsNull() {
    assertThat(Printable.of(null)).isEqualTo("null");
  }
}
