package io.ebdeploy.assets;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where things live in the bucket. Assets at {@code <prefix><path>}; eb-deploy's own files under
 * {@code <prefix>.eb-deploy/}:
 *
 * <pre>
 * static/css/site.3f2c9e1a.css                          an asset
 * static/.eb-deploy/releases/&lt;scope&gt;/&lt;label&gt;.json        what a released version references
 * static/.eb-deploy/pending/&lt;scope&gt;/&lt;run&gt;.json          what a sync in progress references
 * static/.eb-deploy/probe                               never written: deleted to check permission
 * </pre>
 *
 * A scope is the deploy group; scope and label are percent-encoded ({@code %} and {@code /}) to
 * stay one key segment.
 */
final class Layout {
  static final String META = ".eb-deploy/";
  static final String RELEASES = "releases/";
  static final String PENDING = "pending/";
  static final int MAX_KEY_BYTES = 1024;

  private final String prefix;

  Layout(String prefix) {
    this.prefix = normalizePrefix(prefix);
  }

  /**
   * {@code static} and {@code /static/} both become {@code static/}; empty stays empty (the
   * bucket's root).
   *
   * @throws IllegalArgumentException for an empty segment ({@code a//b}), {@code .} or {@code ..}
   */
  static String normalizePrefix(String prefix) {
    String p = prefix == null ? "" : prefix.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return "";
    }
    for (String segment : p.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "'"
                + prefix
                + "' has an empty, '.' or '..' segment; write folders separated by one '/',"
                + " e.g. static or assets/v2");
      }
    }
    if (p.startsWith(".eb-deploy") || p.contains("/.eb-deploy")) {
      throw new IllegalArgumentException("'" + prefix + "' must not contain .eb-deploy");
    }
    return p + "/";
  }

  String prefix() {
    return prefix;
  }

  String key(String relativePath) {
    return prefix + relativePath;
  }

  /** The path relative to the prefix, or empty for a key outside it. */
  Optional<String> relative(String key) {
    return key.startsWith(prefix) ? Optional.of(key.substring(prefix.length())) : Optional.empty();
  }

  String metaPrefix() {
    return prefix + META;
  }

  boolean isMeta(String relativePath) {
    return relativePath.startsWith(META);
  }

  String releaseKey(String scope, String label) {
    return metaPrefix() + RELEASES + segment(scope) + "/" + segment(label) + ".json";
  }

  String pendingKey(String scope, String run) {
    return metaPrefix() + PENDING + segment(scope) + "/" + segment(run) + ".json";
  }

  String probeKey() {
    return metaPrefix() + "probe";
  }

  /** A scope's folder of release manifests, ending in '/'. */
  String releasesOf(String scope) {
    return metaPrefix() + RELEASES + segment(scope) + "/";
  }

  static boolean fitsKey(String key) {
    return key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
  }

  /** Percent-encodes '%' and '/' (and control characters) so a name stays one key segment. */
  static String segment(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (c == '%' || c == '/' || c < 0x20 || c == 0x7f) {
        b.append('%').append(String.format("%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
