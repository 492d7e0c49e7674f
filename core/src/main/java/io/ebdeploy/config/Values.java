package io.ebdeploy.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parsers for the value types of {@code eb-deploy.yml}, shared by the file and the {@code
 * EB_DEPLOY_*} variables so both accept exactly the same spellings. Each throws {@link
 * IllegalArgumentException} whose message says what is wrong with the value and what to write.
 */
final class Values {
  private static final Pattern SHORT_DURATION =
      Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final List<String> HEALTH = List.of("Green", "Yellow", "Red", "Grey");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Values() {}

  static String nonBlank(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return value;
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m} or ISO-8601 ({@code PT5M}); positive. */
  static Duration duration(String value) {
    String text = value.trim();
    Duration duration = null;
    if (text.regionMatches(true, 0, "P", 0, 1)) {
      try {
        duration = Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        duration = null;
      }
    } else {
      Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
      if (!text.isEmpty() && m.matches()) {
        try {
          duration =
              Duration.ofHours(number(m.group(1)))
                  .plusMinutes(number(m.group(2)))
                  .plusSeconds(number(m.group(3)));
        } catch (ArithmeticException e) {
          duration = null;
        }
      }
    }
    if (duration == null) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration; write e.g. 90s, 30m, 2h, 1h30m or ISO-8601 PT5M");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + value + "' must be longer than zero");
    }
    return duration;
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  /** One of Green, Yellow, Red, Grey (any case), in its canonical spelling. */
  static String health(String value) {
    for (String health : HEALTH) {
      if (health.equalsIgnoreCase(value.trim())) {
        return health;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not a Beanstalk health; use " + String.join(", ", HEALTH));
  }

  /** A Java regex; the message quotes it and the compiler's complaint. */
  static Pattern regex(String value) {
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not a valid regular expression ("
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + ")");
    }
  }

  /** An environment variable name, such as {@code SLACK_WEBHOOK_URL}. */
  static String envName(String value) {
    if (!ENV_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not an environment variable name (letters, digits, _)");
    }
    return value;
  }

  /**
   * A path relative to the project, '/'-separated, that stays inside it: for globs and for the
   * version file.
   */
  static String relativePath(String value) {
    nonBlank(value);
    if (value.startsWith("/") || value.contains("\\")) {
      throw new IllegalArgumentException(
          "'" + value + "' must be relative to the project, with '/' separators");
    }
    for (String segment : value.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("'" + value + "' must not leave the project ('..')");
      }
    }
    return value;
  }

  /** A gitignore-style glob (see docs/bundle.md); '!' negates, a leading '/' anchors. */
  static String glob(String value) {
    nonBlank(value);
    String path = value.startsWith("!") ? value.substring(1) : value;
    if (List.of(path.split("/")).contains("..")) {
      throw new IllegalArgumentException("'" + value + "' must not leave the project ('..')");
    }
    return value;
  }

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** An S3 bucket name: 3-63 characters of a-z, 0-9, '.', '-' (S3's naming rules). */
  static String bucket(String value) {
    String name = value.trim();
    if (!BUCKET.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not an S3 bucket name: 3 to 63 characters of a-z, 0-9, '.' and '-',"
              + " starting and ending with a letter or digit (the bucket's name, not an s3:// URL)");
    }
    return name;
  }

  /** A key prefix ({@code static}, {@code assets/v2}; {@code /} for the bucket's root). */
  static String keyPrefix(String value) {
    io.ebdeploy.assets.StaticSync.normalizePrefix(value);
    return value;
  }

  /** A {@code static.cache} pattern, compiled to check it (docs/assets.md#patterns). */
  static String assetGlob(String value) {
    io.ebdeploy.assets.AssetGlob.compile(value);
    return value;
  }

  /** An HTTP header value: printable, on one line. */
  static String headerValue(String value) {
    nonBlank(value);
    for (char c : value.toCharArray()) {
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        throw new IllegalArgumentException(
            "'" + value.strip() + "' holds a line break or control character; keep it on one line");
      }
    }
    return value.strip();
  }

  /** Builds a parser that accepts the given spellings, e.g. web-first and parallel. */
  static <E> Function<String, E> choice(Map<String, E> choices) {
    Map<String, E> copy = new TreeMap<>(choices);
    return value -> {
      E result = copy.get(value.trim().toLowerCase(Locale.ROOT));
      if (result == null) {
        throw new IllegalArgumentException(
            "'" + value + "' is not one of " + String.join(", ", copy.keySet()));
      }
      return result;
    };
  }

  /** A comma-separated list, as environment variables carry lists. */
  static <T> List<T> commaList(String value, Function<String, T> parse) {
    List<T> result = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        result.add(parse.apply(item.trim()));
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException("'" + value + "' names no value");
    }
    return result;
  }

  static boolean bool(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    };
  }
}
