package io.ebdeploy.assets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app.js              | text/javascript; charset=utf-8",
        "mod.MJS             | text/javascript; charset=utf-8",
        "site.css            | text/css; charset=utf-8",
        "app.js.map          | application/json; charset=utf-8",
        "data.json           | application/json; charset=utf-8",
        "icons/logo.svg      | image/svg+xml",
        "fonts/inter.woff2   | font/woff2",
        "fonts/inter.woff    | font/woff",
        "app.wasm            | application/wasm",
        "site.webmanifest    | application/manifest+json; charset=utf-8",
        "index.html          | text/html; charset=utf-8",
        "favicon.ico         | image/vnd.microsoft.icon",
        "photo.JPG           | image/jpeg",
        "tiles/1/2/3.pbf     | application/x-protobuf",
        "a.tar.gz            | application/gzip",
        "LICENSE             | application/octet-stream",
        ".htaccess           | application/octet-stream",
        "dir.v2/noext        | application/octet-stream",
        "x.unknownext        | application/octet-stream",
      })
  void byExtension(String name, String type) {
    assertThat(ContentTypes.of(name.strip())).isEqualTo(type.strip());
  }

  @Test
  void table_textTypesCarryUtf8_mediaTypesDoNot() {
    assertThat(ContentTypes.table())
        .allSatisfy(
            (ext, type) -> {
              if (type.startsWith("text/")) {
                assertThat(type).as(ext).endsWith("; charset=utf-8");
              }
              if (type.matches("(image|font|audio|video)/.*")) {
                assertThat(type).as(ext).doesNotContain("charset");
              }
            });
  }
}
