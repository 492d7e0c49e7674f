package io.ebdeploy.assets;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code static.cache} pattern, matched against a file's whole path relative to {@code
 * static.dir} ({@code css/site.3f2c9e1a.css}), case-sensitively. The dialect (docs/assets.md):
 *
 * <ul>
 *   <li>{@code *} any run of characters except {@code /}; {@code ?} one character except {@code /}
 *   <li>{@code **} as a whole segment: {@code **}{@code /x} is {@code x} at any depth (zero or more
 *       folders), {@code a/**}{@code /b} zero or more folders between, {@code x/**} everything
 *       inside {@code x}, {@code **} alone every file. Elsewhere ({@code a**}) it is an error.
 *   <li>{@code [0-9a-f]} one character of a class, {@code [!x]} or {@code [^x]} one not in it;
 *       never {@code /}
 *   <li>{@code {n}}, {@code {n,}}, {@code {n,m}} right after a class or {@code ?}: that many of it,
 *       as in a regex ({@code [0-9a-f]{8,}} is eight or more hex digits)
 *   <li>{@code {js,css,map}} anywhere else: one of the alternatives (not nested, no {@code /})
 *   <li>{@code \x} the character {@code x} itself; everything else matches itself
 * </ul>
 *
 * Patterns are always anchored at {@code static.dir}: {@code *.css} matches only top-level files,
 * {@code **}{@code /*.css} every CSS file. A leading or trailing {@code /} is an error.
 */
public final class AssetGlob {
  private static final Pattern QUANTIFIER = Pattern.compile("\\{(\\d{1,4})(,(\\d{0,4}))?}");

  private final String glob;
  private final Pattern regex;

  private AssetGlob(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException saying what is wrong, where, and what to write instead
   */
  public static AssetGlob compile(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("must not be empty; '**' matches every file");
    }
    if (glob.startsWith("/")) {
      throw new IllegalArgumentException(
          "'" + glob + "' starts with '/': patterns are relative to static.dir; drop the '/'");
    }
    if (glob.endsWith("/")) {
      throw new IllegalArgumentException(
          "'" + glob + "' ends with '/': patterns match files; write '" + glob + "**'");
    }
    return new AssetGlob(glob, Pattern.compile(new Compiler(glob).compile(true)));
  }

  /** True when the '/'-separated path relative to static.dir matches the whole pattern. */
  public boolean matches(String relativePath) {
    return regex.matcher(relativePath).matches();
  }

  /** The pattern as written. */
  public String glob() {
    return glob;
  }

  /** The equivalent Java regex, for tests and error messages. */
  String regex() {
    return regex.pattern();
  }

  @Override
  public String toString() {
    return glob;
  }

  /** One pass over the pattern, building a regex. */
  private static final class Compiler {
    private final String glob;
    private int i;

    /** True when the last atom was a class or '?', which a {n,m} quantifier may follow. */
    private boolean quantifiable;

    Compiler(String glob) {
      this.glob = glob;
    }

    String compile(boolean top) {
      StringBuilder re = new StringBuilder();
      while (i < glob.length()) {
        char c = glob.charAt(i);
        if (!top && (c == ',' || c == '}' || c == '/')) {
          break;
        }
        if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          if (!top) {
            throw error("'**' cannot be inside {...} alternatives");
          }
          re.append(doubleStar());
          quantifiable = false;
        } else if (c == '*') {
          re.append("[^/]*");
          i++;
          quantifiable = false;
        } else if (c == '?') {
          re.append("[^/]");
          i++;
          quantifiable = true;
        } else if (c == '[') {
          re.append(charClass());
          quantifiable = true;
        } else if (c == '{') {
          Matcher m = QUANTIFIER.matcher(glob).region(i, glob.length());
          if (m.lookingAt()) {
            re.append(quantifier(m));
            quantifiable = false;
          } else {
            if (!top) {
              throw error("'{' cannot be nested inside {...} alternatives");
            }
            re.append(alternatives());
            quantifiable = false;
          }
        } else if (c == '}') {
          throw error("'}' without '{'; write '\\}' for the character itself");
        } else if (c == '\\') {
          if (i + 1 >= glob.length()) {
            throw error("'\\' at the end escapes nothing; write '\\\\' for a backslash");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
          i += 2;
          quantifiable = false;
        } else {
          re.append(Pattern.quote(String.valueOf(c)));
          i++;
          quantifiable = false;
        }
      }
      return re.toString();
    }

    /** {@code **} as a whole segment. */
    private String doubleStar() {
      boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
      int end = i + 2;
      boolean atEnd = end == glob.length();
      if (!segmentStart || (!atEnd && glob.charAt(end) != '/')) {
        throw error(
            "'**' must be a whole path segment ('**/x', 'a/**/b', 'x/**'); use '*' within a name");
      }
      if (atEnd) {
        i = end;
        return ".*";
      }
      // "**/": zero or more folders.
      i = end + 1;
      return "(?:[^/]*/)*";
    }

    private String charClass() {
      int start = i;
      i++;
      StringBuilder cls = new StringBuilder("[");
      boolean negated = false;
      if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
        negated = true;
        cls.append('^');
        i++;
      }
      int members = 0;
      while (true) {
        if (i >= glob.length()) {
          throw new IllegalArgumentException(
              "'" + glob + "': '[' at " + (start + 1) + " is never closed; write '\\[' for itself");
        }
        char c = glob.charAt(i);
        if (c == ']' && members > 0) {
          i++;
          break;
        }
        if (c == '/') {
          throw error("a character class cannot hold '/'");
        }
        if (c == '\\' && i + 1 < glob.length()) {
          c = glob.charAt(++i);
        }
        if (i + 2 < glob.length() && glob.charAt(i + 1) == '-' && glob.charAt(i + 2) != ']') {
          char to = glob.charAt(i + 2);
          if (to < c) {
            throw error("the range " + c + "-" + to + " is backwards; write " + to + "-" + c);
          }
          cls.append(escapeInClass(c)).append('-').append(escapeInClass(to));
          i += 3;
        } else {
          cls.append(escapeInClass(c));
          i++;
        }
        members++;
      }
      if (negated) {
        cls.append('/');
      }
      return cls.append(']').toString();
    }

    private String quantifier(Matcher m) {
      if (!quantifiable) {
        throw error(
            "a quantifier "
                + m.group()
                + " must follow a character class or '?', e.g. [0-9a-f]"
                + m.group()
                + "; for alternatives write {a,b}");
      }
      int min = Integer.parseInt(m.group(1));
      String max = m.group(3);
      if (max != null && !max.isEmpty() && Integer.parseInt(max) < min) {
        throw error("in " + m.group() + " the maximum is below the minimum");
      }
      boolean exact = m.group(2) == null;
      if (min == 0 && (exact || (!max.isEmpty() && Integer.parseInt(max) == 0))) {
        throw error(m.group() + " matches nothing");
      }
      i = m.end();
      return m.group();
    }

    private String alternatives() {
      int start = i;
      i++;
      List<String> alts = new ArrayList<>();
      while (true) {
        Compiler inner = new Compiler(glob);
        inner.i = i;
        alts.add(inner.compile(false));
        i = inner.i;
        if (i >= glob.length()) {
          throw new IllegalArgumentException(
              "'" + glob + "': '{' at " + (start + 1) + " is never closed; write '\\{' for itself");
        }
        char c = glob.charAt(i);
        if (c == '/') {
          throw error("alternatives {a,b} cannot hold '/'");
        }
        i++;
        if (c == '}') {
          break;
        }
      }
      if (alts.size() < 2) {
        throw new IllegalArgumentException(
            "'"
                + glob
                + "': '{' at "
                + (start + 1)
                + " opens neither alternatives {a,b} nor a quantifier {8,} after a class;"
                + " write '\\{' for itself");
      }
      return "(?:" + String.join("|", alts) + ")";
    }

    private static String escapeInClass(char c) {
      return "\\[]^-&".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
    }

    private IllegalArgumentException error(String problem) {
      return new IllegalArgumentException("'" + glob + "' at " + (i + 1) + ": " + problem);
    }
  }
}
