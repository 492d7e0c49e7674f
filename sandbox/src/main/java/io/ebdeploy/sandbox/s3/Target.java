package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import java.util.Locale;

/** What a request addresses: the service (no bucket), a bucket (no key), or an object. */
record Target(String bucket, String key) {
  /** Path style ({@code /BUCKET/KEY}) or virtual-host style ({@code BUCKET.localhost/KEY}). */
  static Target of(SandboxRequest r) {
    String path = r.rawPath();
    String rest = path.startsWith("/") ? path.substring(1) : path;
    String hostBucket = virtualHostBucket(r.header("host"));
    if (hostBucket != null) {
      return new Target(hostBucket, rest.isEmpty() ? null : decodePath(rest));
    }
    if (rest.isEmpty()) {
      return new Target(null, null);
    }
    int slash = rest.indexOf('/');
    String bucket = decodePath(slash < 0 ? rest : rest.substring(0, slash));
    String key =
        slash < 0 || slash == rest.length() - 1 ? null : decodePath(rest.substring(slash + 1));
    return new Target(bucket, key);
  }

  /** {@code BUCKET.localhost[:port]} (or {@code BUCKET.s3.localhost}) addresses BUCKET. */
  private static String virtualHostBucket(String host) {
    if (host == null) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    if (!h.endsWith(".localhost")) {
      return null;
    }
    String b = h.substring(0, h.length() - ".localhost".length());
    if (b.endsWith(".s3")) {
      b = b.substring(0, b.length() - 3);
    }
    return b.isEmpty() || b.equals("s3") ? null : b;
  }

  private static String decodePath(String raw) {
    String s = S3Wire.percentDecode(raw);
    if (s == null) {
      throw S3Errors.error(400, "InvalidURI", "Couldn't parse the specified URI.", "URI", raw);
    }
    return s;
  }

  /** The resource an error names: {@code /}, {@code /BUCKET} or {@code /BUCKET/KEY}. */
  String resource() {
    return bucket == null ? "/" : "/" + bucket + (key == null ? "" : "/" + key);
  }
}
