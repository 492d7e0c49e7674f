package io.ebdeploy.bundle;

/**
 * Git's glob dialect ({@code wildmatch}), as {@code .gitignore} and {@code .ebignore} use it.
 *
 * <p>Written from git's documented behaviour and checked against {@code git check-ignore} on a
 * generated corpus (see IgnoreRulesGitTest). With {@code pathname} set, {@code *}, {@code ?} and
 * brackets never match {@code /}, and {@code **} crosses directories only as a whole segment
 * ({@code **}{@code /x}, {@code x/**}, {@code x/**}{@code /y}); elsewhere it is a plain {@code *}.
 * A trailing backslash and an unterminated bracket never match, as in git.
 */
final class Wildmatch {
  private final String pattern;
  private final String text;
  private final boolean pathname;

  private Wildmatch(String pattern, String text, boolean pathname) {
    this.pattern = pattern;
    this.text = text;
    this.pathname = pathname;
  }

  static boolean matches(String pattern, String text, boolean pathname) {
    return new Wildmatch(pattern, text, pathname).match(0, 0);
  }

  /** Characters after which a pattern stops being a literal string. */
  static boolean isSpecial(char c) {
    return c == '*' || c == '?' || c == '[' || c == '\\';
  }

  private boolean match(int p, int t) {
    while (p < pattern.length()) {
      char pc = pattern.charAt(p);
      if (pc == '*') {
        return star(p, t);
      }
      if (t >= text.length()) {
        return false;
      }
      char tc = text.charAt(t);
      switch (pc) {
        case '\\' -> {
          p++;
          // A trailing backslash escapes nothing and matches nothing.
          if (p >= pattern.length() || pattern.charAt(p) != tc) {
            return false;
          }
          p++;
        }
        case '?' -> {
          if (pathname && tc == '/') {
            return false;
          }
          p++;
        }
        case '[' -> {
          p = bracket(p + 1, tc);
          if (p < 0) {
            return false;
          }
        }
        default -> {
          if (pc != tc) {
            return false;
          }
          p++;
        }
      }
      t++;
    }
    return t == text.length();
  }

  private boolean star(int p, int t) {
    boolean crossSlash;
    int start = p;
    p++;
    if (p < pattern.length() && pattern.charAt(p) == '*') {
      while (p < pattern.length() && pattern.charAt(p) == '*') {
        p++;
      }
      boolean segmentStart = start == 0 || pattern.charAt(start - 1) == '/';
      boolean segmentEnd =
          p == pattern.length()
              || pattern.charAt(p) == '/'
              || (pattern.charAt(p) == '\\'
                  && p + 1 < pattern.length()
                  && pattern.charAt(p + 1) == '/');
      if (pathname && segmentStart && segmentEnd) {
        // "**/" may also stand for no directory at all: "a/**/b" matches "a/b".
        if (p < pattern.length() && pattern.charAt(p) == '/' && match(p + 1, t)) {
          return true;
        }
        crossSlash = true;
      } else {
        crossSlash = !pathname;
      }
    } else {
      crossSlash = !pathname;
    }
    if (p == pattern.length()) {
      return crossSlash || text.indexOf('/', t) < 0;
    }
    for (; t < text.length(); t++) {
      if (match(p, t)) {
        return true;
      }
      if (!crossSlash && text.charAt(t) == '/') {
        return false;
      }
    }
    return false;
  }

  /**
   * Matches one character against the bracket expression starting after its {@code [} at {@code p};
   * returns the index after the closing {@code ]}, or -1 when it does not match (or the bracket is
   * malformed, which git treats as no match).
   */
  private int bracket(int p, char tc) {
    boolean negated = false;
    if (p < pattern.length() && (pattern.charAt(p) == '!' || pattern.charAt(p) == '^')) {
      negated = true;
      p++;
    }
    boolean matched = false;
    char previous = 0; // the last single character, for ranges; 0 after a range or a class
    boolean first = true;
    while (true) {
      if (p >= pattern.length()) {
        return -1;
      }
      char c = pattern.charAt(p);
      if (c == ']' && !first) {
        break;
      }
      first = false;
      if (c == '\\') {
        p++;
        if (p >= pattern.length()) {
          return -1;
        }
        c = pattern.charAt(p);
        matched |= tc == c;
        previous = c;
      } else if (c == '-'
          && previous != 0
          && p + 1 < pattern.length()
          && pattern.charAt(p + 1) != ']') {
        p++;
        char high = pattern.charAt(p);
        if (high == '\\') {
          p++;
          if (p >= pattern.length()) {
            return -1;
          }
          high = pattern.charAt(p);
        }
        matched |= tc >= previous && tc <= high;
        previous = 0;
      } else if (c == '[' && p + 1 < pattern.length() && pattern.charAt(p + 1) == ':') {
        int close = pattern.indexOf(']', p + 2);
        if (close < 0) {
          return -1;
        }
        if (close - 1 < p + 2 || pattern.charAt(close - 1) != ':') {
          // No ":]": the '[' is an ordinary member of the set.
          matched |= tc == '[';
          previous = '[';
        } else {
          Boolean inClass = posixClass(pattern.substring(p + 2, close - 1), tc);
          if (inClass == null) {
            return -1;
          }
          matched |= inClass;
          p = close;
          previous = 0;
        }
      } else {
        matched |= tc == c;
        previous = c;
      }
      p++;
    }
    if (matched == negated || (pathname && tc == '/')) {
      return -1;
    }
    return p + 1;
  }

  /** Whether {@code c} is in the POSIX class; null for an unknown class name. */
  private static Boolean posixClass(String name, char c) {
    return switch (name) {
      case "alnum" -> Character.isLetterOrDigit(c) && c < 128;
      case "alpha" -> Character.isLetter(c) && c < 128;
      case "blank" -> c == ' ' || c == '\t';
      case "cntrl" -> c < 32 || c == 127;
      case "digit" -> c >= '0' && c <= '9';
      case "graph" -> c > 32 && c < 127;
      case "lower" -> c >= 'a' && c <= 'z';
      case "print" -> c >= 32 && c < 127;
      case "punct" -> c > 32 && c < 127 && !Character.isLetterOrDigit(c);
      case "space" -> c == ' ' || (c >= '\t' && c <= '\r');
      case "upper" -> c >= 'A' && c <= 'Z';
      case "xdigit" -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      default -> null;
    };
  }
}
