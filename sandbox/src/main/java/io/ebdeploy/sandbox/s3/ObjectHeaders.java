package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An object's headers: what a PUT, copy or multipart upload may set (and S3's limits on it), and
 * what a GET or HEAD answers with.
 */
final class ObjectHeaders {
  private static final int MAX_KEY_BYTES = 1024;
  private static final int MAX_METADATA_BYTES = 2048;

  private static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "GLACIER_IR",
          "OUTPOSTS",
          "SNOW",
          "EXPRESS_ONEZONE");

  private ObjectHeaders() {}

  static void checkKey(String key) {
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw S3Errors.error(
          400,
          "KeyTooLongError",
          "Your key is too long",
          "Size",
          String.valueOf(bytes),
          "MaxSizeAllowed",
          String.valueOf(MAX_KEY_BYTES));
    }
  }

  /** New buckets have ACLs disabled (Object Ownership "bucket owner enforced", S3's default). */
  static void checkAcl(SandboxRequest r) {
    String acl = r.header("x-amz-acl");
    boolean grants = r.headers().keySet().stream().anyMatch(h -> h.startsWith("x-amz-grant-"));
    if ((acl != null && !acl.trim().equals("bucket-owner-full-control")) || grants) {
      throw S3Errors.error(400, "AccessControlListNotSupported", "The bucket does not allow ACLs");
    }
  }

  static void checkVersionId(SandboxRequest r) {
    String v = r.query().get("versionId");
    if (v != null && !v.equals("null")) {
      throw S3Errors.invalidArgument("Invalid version id specified", "versionId", v);
    }
  }

  /** The object attributes a PUT, copy (REPLACE) or multipart upload sets from its headers. */
  static S3Object.Attrs attrs(SandboxRequest r) {
    Map<String, String> headers = new LinkedHashMap<>();
    String type = r.header("content-type");
    headers.put("Content-Type", type == null || type.isBlank() ? "binary/octet-stream" : type);
    String encoding = r.header("content-encoding");
    if (encoding != null) {
      List<String> kept = new ArrayList<>();
      for (String token : encoding.split(",")) {
        if (!token.trim().isEmpty() && !token.trim().equalsIgnoreCase("aws-chunked")) {
          kept.add(token.trim());
        }
      }
      if (!kept.isEmpty()) {
        headers.put("Content-Encoding", String.join(",", kept));
      }
    }
    for (String h :
        List.of("Cache-Control", "Content-Disposition", "Content-Language", "Expires")) {
      String v = r.header(h);
      if (v != null) {
        headers.put(h, v);
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
      if (e.getKey().startsWith("x-amz-meta-") && !e.getValue().isEmpty()) {
        String name = e.getKey().substring("x-amz-meta-".length());
        String value = String.join(",", e.getValue());
        metadata.put(name, value);
        size += name.getBytes(StandardCharsets.UTF_8).length;
        size += value.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_METADATA_BYTES) {
      throw S3Errors.error(
          400,
          "MetadataTooLarge",
          "Your metadata headers exceed the maximum allowed metadata size",
          "Size",
          String.valueOf(size),
          "MaxSizeAllowed",
          String.valueOf(MAX_METADATA_BYTES));
    }
    String storageClass = r.header("x-amz-storage-class");
    storageClass = storageClass == null ? "STANDARD" : storageClass.trim();
    if (!STORAGE_CLASSES.contains(storageClass)) {
      throw S3Errors.error(
          400,
          "InvalidStorageClass",
          "The storage class you specified is not valid",
          "StorageClassRequested",
          storageClass);
    }
    return new S3Object.Attrs(headers, metadata, storageClass, sse(r), TagSets.tagsHeader(r));
  }

  private static String sse(SandboxRequest r) {
    for (String h : r.headers().keySet()) {
      if (h.startsWith("x-amz-server-side-encryption-customer-")) {
        throw S3Errors.notImplemented("server-side encryption with customer keys (SSE-C)");
      }
    }
    String sse = r.header("x-amz-server-side-encryption");
    if (sse == null) {
      return "AES256"; // S3 encrypts every new object with SSE-S3 since January 2023
    }
    sse = sse.trim();
    if (!Set.of("AES256", "aws:kms", "aws:kms:dsse").contains(sse)) {
      throw S3Errors.invalidArgument(
          "The encryption method specified is not supported", "x-amz-server-side-encryption", sse);
    }
    return sse;
  }

  static S3Checksum checksumAlgorithmHeader(SandboxRequest r) {
    String v = r.header("x-amz-checksum-algorithm");
    if (v == null) {
      return null;
    }
    S3Checksum c = S3Checksum.of(v);
    if (c == null) {
      throw S3Errors.invalidRequest(
          "Checksum algorithm provided is unsupported. Please try again with any of the valid"
              + " types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    }
    return c;
  }

  static String contentType(SandboxRequest r, S3Object o) {
    String override = r.query().get("response-content-type");
    return override != null ? override : o.attrs().headers().get("Content-Type");
  }

  static void objectHeaders(SandboxResponse resp, SandboxRequest r, S3Object o) {
    Map<String, String> q = r.query();
    o.attrs()
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.equals("Content-Type")) {
                resp.header(name, value);
              }
            });
    for (String h :
        List.of(
            "Cache-Control",
            "Content-Disposition",
            "Content-Encoding",
            "Content-Language",
            "Expires")) {
      String override = q.get("response-" + h.toLowerCase(Locale.ROOT));
      if (override != null) {
        resp.header(h, override);
      }
    }
    resp.header("x-amz-server-side-encryption", o.attrs().sse());
    o.attrs().metadata().forEach((k, v) -> resp.header("x-amz-meta-" + k, v));
    if (!o.attrs().storageClass().equals("STANDARD")) {
      resp.header("x-amz-storage-class", o.attrs().storageClass());
    }
    if (!o.attrs().tags().isEmpty()) {
      resp.header("x-amz-tagging-count", String.valueOf(o.attrs().tags().size()));
    }
  }
}
