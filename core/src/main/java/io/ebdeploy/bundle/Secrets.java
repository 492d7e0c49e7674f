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
    int head = Math.min(content.length, 8192);
    for (int i = 0; i < head; i++) {
      if (content[i] == 0) {
        return false;
      }
    }
    // Latin-1 maps bytes one to one, and String.indexOf is fast.
    String text = new String(content, StandardCharsets.ISO_8859_1);
    for (int at = text.indexOf("PRIVATE KEY"); at >= 0; at = text.indexOf("PRIVATE KEY", at + 1)) {
      int lineStart = text.lastIndexOf('\n', at) + 1;
      String before = text.substring(lineStart, at);
      if (before.contains("-----BEGIN ") && text.startsWith("-----", endOfLabel(text, at))) {
        return true;
      }
    }
    return false;
  }

  /** After "PRIVATE KEY" and an optional " BLOCK" (PGP). */
  private static int endOfLabel(String text, int at) {
    int end = at + "PRIVATE KEY".length();
    return text.startsWith(" BLOCK", end) ? end + " BLOCK".length() : end;
  }
}
