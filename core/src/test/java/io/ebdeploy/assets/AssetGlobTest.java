package io.ebdeploy.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AssetGlobTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The default rule: fingerprinted names at any depth.
        "**/*.[0-9a-f]{8,}.*  | app.0123abcd.js                 | true",
        "**/*.[0-9a-f]{8,}.*  | css/site.3f2c9e1a8b7d.css       | true",
        "**/*.[0-9a-f]{8,}.*  | a/b/c/x.0123456789abcdef0123.js  | true",
        "**/*.[0-9a-f]{8,}.*  | js/app.1234abcd.js.map          | true",
        "**/*.[0-9a-f]{8,}.*  | js/app.js                       | false",
        "**/*.[0-9a-f]{8,}.*  | js/app.1234abc.js               | false",
        "**/*.[0-9a-f]{8,}.*  | js/app.1234ABCD.js              | false",
        "**/*.[0-9a-f]{8,}.*  | js/app.1234abcg.js              | false",
        "**/*.[0-9a-f]{8,}.*  | js/app.12345678                 | false",
        "**                   | anything/at/all.txt             | true",
        "**                   | top.txt                         | true",
        // * and ? stay within a segment; patterns are anchored at static.dir.
        "*.css                | site.css                        | true",
        "*.css                | css/site.css                    | false",
        "**/*.css             | css/site.css                    | true",
        "**/*.css             | site.css                        | true",
        "css/*                | css/a/b.css                     | false",
        "css/**               | css/a/b.css                     | true",
        "css/**               | css                             | false",
        "a/**/b.js            | a/b.js                          | true",
        "a/**/b.js            | a/x/y/b.js                      | true",
        "a/**/b.js            | ab.js                           | false",
        "?.js                 | a.js                            | true",
        "?.js                 | ab.js                           | false",
        // Quantifiers after a class or ?.
        "v[0-9]{1,2}/**       | v12/x.js                        | true",
        "v[0-9]{1,2}/**       | v123/x.js                       | false",
        "x?{3}.js             | xabc.js                         | true",
        "x?{3}.js             | xab.js                          | false",
        "[!.]*.txt            | a.txt                           | true",
        "[!.]*.txt            | .a.txt                          | false",
        "[^.]*.txt            | .a.txt                          | false",
        // Alternatives.
        "**/*.{js,css,map}    | x/app.css                       | true",
        "**/*.{js,css,map}    | x/app.svg                       | false",
        "fonts/*.{woff?,ttf}  | fonts/a.woff2                   | true",
        // Literal characters, escapes.
        "a+b (1).js           | a+b (1).js                      | true",
        "100%.js              | 100%.js                         | true",
        "\\*.js               | *.js                            | true",
        "\\*.js               | a.js                            | false",
        "x.\\{8\\}            | x.{8}                           | true",
        "ünï/*.css            | ünï/a.css                       | true",
      })
  void matches(String glob, String path, boolean expected) {
    assertThat(AssetGlob.compile(glob.strip()).matches(path.strip())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"                  | must not be empty",
        "/css/*              | starts with '/'",
        "css/                | ends with '/'",
        "a**/x               | whole path segment",
        "**a                 | whole path segment",
        "x{8,}               | must follow a character class",
        "*.[0-9a-f{8,}       | never closed",
        "[a/b]               | cannot hold '/'",
        "[z-a]               | backwards",
        "[0-9]{8,2}          | below the minimum",
        "[0-9]{0}            | matches nothing",
        "*.{js}              | neither alternatives",
        "*.{js,css           | never closed",
        "{a/b,c}             | cannot hold '/'",
        "{a,{b,c}}           | nested",
        "{**,a}              | inside {...}",
        "x}                  | '}' without '{'",
        "x\\                 | escapes nothing",
      })
  void refuses(String glob, String problem) {
    assertThatThrownBy(() -> AssetGlob.compile(glob.strip()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem.strip());
  }
}
