package io.ebdeploy.bundle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A list of gitignore patterns and git's verdict on a path, as {@code git check-ignore} gives it
 * for a single ignore file at the root: comments, trailing-space trimming, {@code !} negation,
 * directory-only {@code dir/}, anchored {@code /x} and {@code a/b}, unanchored {@code name} matched
 * against the last component, {@code **}, escapes; the last matching pattern wins, and a path under
 * an ignored directory stays ignored (a file cannot be re-included below an excluded directory).
 *
 * <p>Used for {@code .ebignore} and for the glob lists in {@code eb-deploy.yml} ({@code
 * bundle.include}, {@code bundle.exclude}, {@code bundle.allow-secrets}), so that every path
 * pattern in the project means the same thing.
 */
final class IgnoreRules {
  /**
   * One pattern. {@code glob} is kept as UTF-8 bytes in a Latin-1 string: git matches bytes, so
   * {@code ?} must not match a two-byte character.
   */
  record Rule(String source, int line, String text, String glob, boolean negated, boolean dirOnly) {
    /** A pattern without a slash matches the last path component, at any depth. */
    boolean basenameOnly() {
      return glob.indexOf('/') < 0;
    }

    boolean matches(String bytePath, boolean isDir) {
      if (dirOnly && !isDir) {
        return false;
      }
      if (basenameOnly()) {
        String name = bytePath.substring(bytePath.lastIndexOf('/') + 1);
        return Wildmatch.matches(glob, name, false);
      }
      String anchored = glob.charAt(0) == '/' ? glob.substring(1) : glob;
      return Wildmatch.matches(anchored, bytePath, true);
    }
  }

  static final IgnoreRules NONE = new IgnoreRules(List.of());

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Parses the lines of an ignore file; {@code source} names it in {@link Rule#source()}. */
  static IgnoreRules parse(List<String> lines, String source) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      parseLine(lines.get(i), source, i + 1).ifPresent(rules::add);
    }
    return new IgnoreRules(rules);
  }

  private static Optional<Rule> parseLine(String raw, String source, int line) {
    String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (text.isEmpty() || text.charAt(0) == '#') {
      return Optional.empty();
    }
    String trimmed = trimTrailingSpaces(text);
    boolean negated = trimmed.startsWith("!");
    String glob = negated ? trimmed.substring(1) : trimmed;
    boolean dirOnly = glob.endsWith("/");
    if (dirOnly) {
      glob = glob.substring(0, glob.length() - 1);
    }
    if (glob.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Rule(source, line, text, bytes(glob), negated, dirOnly));
  }

  /** Unescaped trailing spaces go; "\ " keeps its space; a trailing backslash stops trimming. */
  private static String trimTrailingSpaces(String s) {
    int lastSpace = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (lastSpace < 0) {
          lastSpace = i;
        }
      } else if (c == '\\') {
        i++;
        if (i >= s.length()) {
          return s;
        }
        lastSpace = -1;
      } else {
        lastSpace = -1;
      }
    }
    return lastSpace < 0 ? s : s.substring(0, lastSpace);
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Whether {@code path} ('/'-separated, relative to the root of the rules) is matched: its parent
   * directories are checked first, and an excluded parent decides.
   */
  boolean matches(String path, boolean isDir) {
    return deciding(path, isDir).filter(rule -> !rule.negated()).isPresent();
  }

  /** The pattern that decides {@code path}: an excluding one of a parent, else the last match. */
  Optional<Rule> deciding(String path, boolean isDir) {
    if (rules.isEmpty()) {
      return Optional.empty();
    }
    String bytePath = bytes(path);
    for (int slash = bytePath.indexOf('/'); slash >= 0; slash = bytePath.indexOf('/', slash + 1)) {
      Optional<Rule> parent = lastMatch(bytePath.substring(0, slash), true);
      if (parent.isPresent() && !parent.get().negated()) {
        return parent;
      }
    }
    return lastMatch(bytePath, isDir);
  }

  private Optional<Rule> lastMatch(String bytePath, boolean isDir) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      if (rules.get(i).matches(bytePath, isDir)) {
        return Optional.of(rules.get(i));
      }
    }
    return Optional.empty();
  }

  private static String bytes(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
