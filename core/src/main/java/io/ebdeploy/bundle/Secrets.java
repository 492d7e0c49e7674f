package io.ebdeploy.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Obvious secrets that must not ship in a bundle: files named like credentials, and text files
 * holding a PEM/OpenSSH/PGP private key. Deliberately blunt: a false alarm costs one line of {@code
 * bundle.allow-secrets}; a leaked key costs a rotation.
 */
final class Secrets {
  /** Content is sniffed only in files up to this size: keys are small, bundles are not. */
  static final int SNIFF_LIMIT = 1 << 20;

  private static final Set<String> NAMES =
      Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", ".pgpass", ".htpasswd");
  private static final Set<String> SUFFIXES =
      Set.of(".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk");

  /** {@code .env.*} files that, by convention, hold placeholders rather than secrets. */
  private static final Set<String> ENV_TEMPLATES =
      Set.of(".env.example", ".env.sample", ".env.template", ".env.dist");

  private Secrets() {}

  /** Why the path's name marks it as a secret, if it does. */
  static Optional<String> byName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.equals(".env") || (name.startsWith(".env.") && !ENV_TEMPLATES.contains(name))) {
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

  /** Whether the (text) content holds a private key block. Binary content is not searched. */
  static boolean holdsPrivateKey(byte[] content) {
    return holdsPrivateKey(content, content.length);
  }

  /**
   * Whether {@code content[0..length)} holds a private key block: a line with {@code -----BEGIN }
   * before {@code PRIVATE KEY-----} (or {@code PRIVATE KEY BLOCK-----}, PGP). Content with a NUL
   * byte in its first 8 KiB is binary and not searched. Works on the bytes without copying them: it
   * runs on every small file of the bundle.
   */
  static boolean holdsPrivateKey(byte[] content, int length) {
    for (int i = 0, head = Math.min(length, 8192); i < head; i++) {
      if (content[i] == 0) {
        return false;
      }
    }
    for (int at = indexOf(content, length, KEY, 0);
        at >= 0;
        at = indexOf(content, length, KEY, at + 1)) {
      int end = at + KEY.length;
      if (startsWith(content, length, BLOCK, end)) {
        end += BLOCK.length;
      }
      if (startsWith(content, length, DASHES, end) && beginOnSameLine(content, at)) {
        return true;
      }
    }
    return false;
  }

  private static final byte[] KEY = bytes("PRIVATE KEY");
  private static final byte[] BLOCK = bytes(" BLOCK");
  private static final byte[] DASHES = bytes("-----");
  private static final byte[] BEGIN = bytes("-----BEGIN ");

  private static boolean beginOnSameLine(byte[] content, int at) {
    int lineStart = at;
    while (lineStart > 0 && content[lineStart - 1] != '\n') {
      lineStart--;
    }
    int found = indexOf(content, at, BEGIN, lineStart);
    return found >= 0;
  }

  private static int indexOf(byte[] content, int length, byte[] needle, int from) {
    for (int i = from; i <= length - needle.length; i++) {
      if (content[i] == needle[0] && startsWith(content, length, needle, i)) {
        return i;
      }
    }
    return -1;
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
