package io.ebdeploy.bundle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one set of rules for obvious secrets that must not ship: files named like credentials, and
 * small text files holding a PEM/OpenSSH/PGP private key or an AWS secret access key. The bundle
 * applies them to every file (docs/bundle.md, "Secrets"); anything else that publishes project
 * files (static files) is meant to apply the same ones, with the same {@code allow-secrets}.
 * Deliberately blunt: a false alarm costs one line of {@code bundle.allow-secrets}; a leaked key
 * costs a rotation.
 */
public final class Secrets {
  /** Content is searched only in files up to this size: keys are small, bundles are not. */
  public static final int SNIFF_LIMIT = 1 << 20;

  private static final Set<String> NAMES =
      Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", ".pgpass", ".htpasswd");
  private static final Set<String> SUFFIXES =
      Set.of(".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk");

  /**
   * The last part of a {@code .env.*} name that marks a template (placeholders, not values): {@code
   * .env.example}, {@code .env.smoke.template}...
   */
  private static final Set<String> TEMPLATE_SUFFIXES =
      Set.of(".example", ".sample", ".template", ".dist");

  /** Binary content (a NUL byte in its first 8 KiB) is not searched. */
  private static final int BINARY_PROBE = 8192;

  private static final int AWS_SECRET_LENGTH = 40;

  private Secrets() {}

  /**
   * Why the path's name marks it as a secret, if it does: {@code .env} and {@code .env.*} (but not
   * the templates {@code .env.example}, {@code .env.sample}, {@code .env.template}, {@code
   * .env.dist}, nor {@code .env.<anything>.<one of those>}), keys and certificates by extension,
   * credentials files by name.
   *
   * @param path '/'-separated, relative to the project
   */
  public static Optional<String> byName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.equals(".env") || (name.startsWith(".env.") && !isEnvTemplate(name))) {
      return Optional.of("environment file");
    }
    if (NAMES.contains(name)) {
      return Optional.of("credentials file");
    }
    if (path.equals(".aws/credentials") || path.endsWith("/.aws/credentials")) {
      return Optional.of("AWS credentials file");
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0 && SUFFIXES.contains(name.substring(dot))) {
      return Optional.of("key or certificate file (" + name.substring(dot) + ")");
    }
    return Optional.empty();
  }

  private static boolean isEnvTemplate(String name) {
    int dot = name.lastIndexOf('.');
    return dot >= ".env".length() && TEMPLATE_SUFFIXES.contains(name.substring(dot));
  }

  /**
   * What secret {@code content[0..length)} holds, if any: "holds a private key" for a line with
   * {@code -----BEGIN } before {@code PRIVATE KEY-----} (or {@code PRIVATE KEY BLOCK-----}, PGP);
   * "holds an AWS secret access key" for {@code aws_secret_access_key} (any case, {@code _} or
   * {@code -}) or {@code SecretAccessKey}, then {@code =} or {@code :} (quotes and spaces around
   * them allowed), then exactly 40 base64 characters that are not AWS's documentation example
   * ({@code ...EXAMPLEKEY}). Binary content is not searched.
   *
   * <p>One pass over the bytes, without copying them: it runs on every small file of the bundle.
   */
  public static Optional<String> inContent(byte[] content, int length) {
    int head = Math.min(length, BINARY_PROBE);
    // Every pattern has a 'y' or 'Y' (the end of "KEY"), one of the rarer letters in code, and is
    // matched backwards from there. Eight bytes at a time: is any of them NUL (binary), or 'y' or
    // 'Y' (a candidate)? This runs on every small file of the bundle, so it is worth the trick.
    int at = 0;
    for (; at + 8 <= length; at += 8) {
      long word = (long) LONGS.get(content, at);
      if (at < head && hasZeroByte(word) && holdsNul(content, at, Math.min(at + 8, head))) {
        return Optional.empty();
      }
      if (hasZeroByte((word | LOWER_CASE) ^ LETTER_Y)) {
        for (int i = at; i < at + 8; i++) {
          Optional<String> found = secretEndingAt(content, length, i);
          if (found.isPresent()) {
            return holdsNul(content, i, head) ? Optional.empty() : found;
          }
        }
      }
    }
    for (; at < length; at++) {
      if (at < head && content[at] == 0) {
        return Optional.empty();
      }
      Optional<String> found = secretEndingAt(content, length, at);
      if (found.isPresent()) {
        return holdsNul(content, at, head) ? Optional.empty() : found;
      }
    }
    return Optional.empty();
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101_0101_0101_0101L;
  private static final long HIGHS = 0x8080_8080_8080_8080L;
  private static final long LOWER_CASE = 0x2020_2020_2020_2020L;
  private static final long LETTER_Y = 0x7979_7979_7979_7979L;

  /** Whether one of the eight bytes of {@code word} is zero (exact). */
  private static boolean hasZeroByte(long word) {
    return ((word - ONES) & ~word & HIGHS) != 0;
  }

  private static boolean holdsNul(byte[] content, int from, int to) {
    for (int i = from; i < to; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** The secret whose pattern's 'y' or 'Y' is at {@code at}, if any. */
  private static Optional<String> secretEndingAt(byte[] content, int length, int at) {
    byte b = content[at];
    if (b == 'Y' && privateKeyAt(content, length, at + 1 - KEY.length)) {
      return Optional.of("holds a private key");
    }
    if ((b | 0x20) == 'y' && awsSecretAt(content, length, at + 1)) {
      return Optional.of("holds an AWS secret access key");
    }
    return Optional.empty();
  }

  private static final byte[] KEY = bytes("PRIVATE KEY");
  private static final byte[] BLOCK = bytes(" BLOCK");
  private static final byte[] DASHES = bytes("-----");
  private static final byte[] BEGIN = bytes("-----BEGIN ");
  private static final byte[] AWS_NAME = bytes("aws_secret_access_key");
  private static final byte[] SDK_NAME = bytes("secretaccesskey");

  /** Whether {@code PRIVATE KEY-----} starts at {@code at}, after a {@code -----BEGIN }. */
  private static boolean privateKeyAt(byte[] content, int length, int at) {
    if (at < 0 || !startsWith(content, length, KEY, at)) {
      return false;
    }
    int end = at + KEY.length;
    if (startsWith(content, length, BLOCK, end)) {
      end += BLOCK.length;
    }
    if (!startsWith(content, length, DASHES, end)) {
      return false;
    }
    int lineStart = at;
    while (lineStart > 0 && content[lineStart - 1] != '\n') {
      lineStart--;
    }
    for (int i = lineStart; i + BEGIN.length <= at; i++) {
      if (startsWith(content, at, BEGIN, i)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an AWS secret access key is assigned to a name that ends at {@code end}. */
  private static boolean awsSecretAt(byte[] content, int length, int end) {
    if (!namedAt(content, length, AWS_NAME, end - AWS_NAME.length)
        && !namedAt(content, length, SDK_NAME, end - SDK_NAME.length)) {
      return false;
    }
    end = skipQuotesAndBlanks(content, length, end);
    if (end >= length || (content[end] != '=' && content[end] != ':')) {
      return false;
    }
    end = skipQuotesAndBlanks(content, length, end + 1);
    int value = end;
    while (end < length && isBase64(content[end])) {
      end++;
    }
    return end - value == AWS_SECRET_LENGTH
        && (value == 0 || !isBase64(content[value - 1]))
        && !endsWith(content, end, "EXAMPLEKEY");
  }

  /** Case-insensitive; {@code _} in the name also matches {@code -}. */
  private static boolean namedAt(byte[] content, int length, byte[] name, int at) {
    if (at < 0 || at + name.length > length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      byte c = content[at + i];
      byte n = name[i];
      boolean same = n == '_' ? c == '_' || c == '-' : (c | 0x20) == n;
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static int skipQuotesAndBlanks(byte[] content, int length, int at) {
    while (at < length
        && (content[at] == ' '
            || content[at] == '\t'
            || content[at] == '"'
            || content[at] == '\'')) {
      at++;
    }
    return at;
  }

  private static boolean isBase64(byte b) {
    return (b >= 'A' && b <= 'Z')
        || (b >= 'a' && b <= 'z')
        || (b >= '0' && b <= '9')
        || b == '+'
        || b == '/';
  }

  private static boolean endsWith(byte[] content, int end, String suffix) {
    return end >= suffix.length() && startsWith(content, end, bytes(suffix), end - suffix.length());
  }

  private static boolean startsWith(byte[] content, int length, byte[] prefix, int at) {
    if (at + prefix.length > length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (content[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
