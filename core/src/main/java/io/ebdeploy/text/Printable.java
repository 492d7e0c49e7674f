package io.ebdeploy.text;

/**
 * File names (and other values from outside) made safe to print in a message: a name may hold a
 * newline that forges a second line of output, an escape sequence that rewrites the terminal, or a
 * bidirectional override (U+202E) that shows {@code evil.exe} as {@code exe.live}. Such characters
 * are written as escapes, so that what is printed is one line that means one name.
 *
 * <p>The escapes are those of C, Java and YAML double-quoted strings: {@code \n}, {@code \r},
 * {@code \t}, {@code \xHH} for the other control characters (C0, DEL, C1), <code>&#92;uHHHH</code>
 * for invisible format characters (bidirectional marks and overrides, zero-width characters) and
 * line or paragraph separators; a backslash is doubled only in a value that needed escaping, so
 * that ordinary names print as they are. Printable characters of every script are kept.
 */
public final class Printable {
  private Printable() {}

  /** {@code value} with its unprintable characters escaped; the same string when it has none. */
  public static String of(String value) {
    if (value == null) {
      return "null";
    }
    if (!needsEscaping(value)) {
      return value;
    }
    StringBuilder b = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            b.append(String.format("\\x%02x", (int) c));
          } else if (isInvisible(c)) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * Whether {@code value} holds a character that {@link #of} escapes (backslashes aside): a control
   * character, a bidirectional or zero-width format character, or a line or paragraph separator.
   */
  public static boolean needsEscaping(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || isInvisible(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isInvisible(char c) {
    int type = Character.getType(c);
    return type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
