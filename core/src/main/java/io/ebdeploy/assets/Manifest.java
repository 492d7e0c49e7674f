package io.ebdeploy.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The files one release (or one sync in progress) references, stored as JSON under {@code
 * <prefix>.eb-deploy/}. It records each file's MD5 and ETag (so that a multipart object, whose ETag
 * is not an MD5, is compared without a HEAD) and the headers it was uploaded with (so that a
 * changed cache rule updates them).
 *
 * <pre>{@code
 * {"format": 1, "state": "released", "scope": "staging", "label": "v1.4.0",
 *  "time": "2026-11-22T10:15:30Z",
 *  "files": {"css/site.3f2c9e1a.css": {"md5": "...", "size": 1234, "type": "text/css; charset=utf-8",
 *            "cache": "public, max-age=31536000, immutable"}}}
 * }</pre>
 *
 * {@code etag} is present only when it differs from {@code md5}; {@code cache} and {@code encoding}
 * only when set.
 */
record Manifest(String state, String scope, String label, Instant time, Map<String, Entry> files) {
  static final String RELEASED = "released";
  static final String PENDING = "pending";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  Manifest {
    files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
  }

  /** One file: its content hash, size, ETag and the headers it carries. */
  record Entry(String md5, long size, String etag, String type, String cache, String encoding) {
    /** The object's ETag: the MD5 for a single-part upload. */
    String etagOrMd5() {
      return etag != null ? etag : md5;
    }

    boolean sameHeaders(String type, String cache, String encoding) {
      return Objects.equals(this.type, type)
          && Objects.equals(this.cache, cache)
          && Objects.equals(this.encoding, encoding);
    }
  }

  byte[] toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", 1);
    root.put("state", state);
    root.put("scope", scope);
    if (label != null) {
      root.put("label", label);
    }
    root.put("time", time.toString());
    ObjectNode fs = root.putObject("files");
    for (Map.Entry<String, Entry> e : files.entrySet()) {
      Entry f = e.getValue();
      ObjectNode n = fs.putObject(e.getKey());
      n.put("md5", f.md5());
      n.put("size", f.size());
      if (f.etag() != null && !f.etag().equals(f.md5())) {
        n.put("etag", f.etag());
      }
      n.put("type", f.type());
      if (f.cache() != null) {
        n.put("cache", f.cache());
      }
      if (f.encoding() != null) {
        n.put("encoding", f.encoding());
      }
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @throws IOException when the bytes are not a manifest this version understands
   */
  static Manifest parse(byte[] json) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    if (root == null || !root.isObject() || root.path("format").asInt() != 1) {
      throw new IOException(
          "not an eb-deploy manifest of format 1: "
              + new String(json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8));
    }
    Map<String, Entry> files = new TreeMap<>();
    JsonNode fs = root.path("files");
    if (!fs.isObject()) {
      throw new IOException("manifest without files");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = fs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode n = e.getValue();
      String md5 = text(n, "md5");
      if (md5 == null || !n.path("size").canConvertToLong()) {
        throw new IOException("manifest entry " + e.getKey() + " without md5 or size");
      }
      files.put(
          e.getKey(),
          new Entry(
              md5,
              n.path("size").asLong(),
              text(n, "etag"),
              text(n, "type"),
              text(n, "cache"),
              text(n, "encoding")));
    }
    Instant time;
    try {
      time = Instant.parse(root.path("time").asText());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IOException("manifest without a valid time", e);
    }
    return new Manifest(
        root.path("state").asText(), root.path("scope").asText(), text(root, "label"), time, files);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
