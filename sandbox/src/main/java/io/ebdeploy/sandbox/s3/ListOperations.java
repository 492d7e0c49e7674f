package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listings of a bucket: ListObjects, ListObjectsV2 and ListMultipartUploads, with prefixes,
 * delimiters, markers and URL encoding as S3 answers them.
 */
final class ListOperations {
  private final S3Store store;
  private final BucketOperations buckets;

  ListOperations(S3Store store, BucketOperations buckets) {
    this.store = store;
    this.buckets = buckets;
  }

  private record Listing(
      List<S3Object> contents, List<String> prefixes, boolean truncated, String last) {}

  /**
   * Lists keys under a prefix after a marker (exclusive), rolling keys up to common prefixes at the
   * delimiter; a common prefix counts as one entry and is listed once, in key order.
   */
  private static Listing list(S3Bucket b, Scope scope, String marker, int max) {
    String prefix = scope.prefix();
    String delimiter = scope.delimiter();
    List<S3Object> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String cursor = prefix;
    boolean inclusive = true;
    if (marker != null && S3Wire.compareCodePoints(marker, prefix) >= 0) {
      cursor = marker;
      inclusive = false;
      if (!delimiter.isEmpty()
          && marker.startsWith(prefix)
          && marker.endsWith(delimiter)
          && marker.indexOf(delimiter, prefix.length()) == marker.length() - delimiter.length()) {
        // The marker is a common prefix of an earlier page: skip every key under it.
        cursor = S3Wire.successor(marker);
        inclusive = true;
        if (cursor == null) {
          return new Listing(contents, prefixes, false, null);
        }
      }
    }
    int count = 0;
    boolean truncated = false;
    String last = null;
    while (true) {
      Map.Entry<String, S3Object> e =
          inclusive ? b.objects.ceilingEntry(cursor) : b.objects.higherEntry(cursor);
      if (e == null) {
        break;
      }
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break; // keys are sorted: past the prefix, nothing more matches
      }
      String common = scope.commonPrefix(key);
      if (count == max) {
        truncated = max > 0;
        break;
      }
      count++;
      if (common != null) {
        prefixes.add(common);
        last = common;
        cursor = S3Wire.successor(common);
        inclusive = true;
        if (cursor == null) {
          break;
        }
      } else {
        contents.add(e.getValue());
        last = key;
        cursor = key;
        inclusive = false;
      }
    }
    return new Listing(contents, prefixes, truncated, last);
  }

  SandboxResponse listObjects(SandboxRequest r, Target t, boolean v2) {
    S3Bucket b = buckets.addressed(r, t);
    Map<String, String> q = r.query();
    Scope scope = Scope.of(q);
    int maxKeys = 1000;
    if (q.get("max-keys") != null) {
      maxKeys = S3Wire.parseInt(q.get("max-keys"), "max-keys", 0, Integer.MAX_VALUE);
    }
    String token = v2 ? q.get("continuation-token") : null;
    String startAfter = v2 ? q.get("start-after") : null;
    String marker = v2 ? (token != null ? S3Wire.decodeToken(token) : startAfter) : q.get("marker");
    boolean owner = !v2 || "true".equals(q.get("fetch-owner"));
    Listing l = list(b, scope, marker, Math.min(maxKeys, 1000));

    Xml x = new Xml().open("ListBucketResult", S3Wire.NAMESPACE).element("Name", b.name);
    x.element("Prefix", scope.enc(scope.prefix()));
    if (v2) {
      x.element("ContinuationToken", token);
      if (l.truncated()) {
        x.element("NextContinuationToken", S3Wire.encodeToken(l.last()));
      }
      x.element("KeyCount", l.contents().size() + l.prefixes().size());
    } else {
      x.element("Marker", scope.enc(q.getOrDefault("marker", "")));
      if (l.truncated() && !scope.delimiter().isEmpty()) {
        x.element("NextMarker", scope.enc(l.last()));
      }
    }
    x.element("MaxKeys", maxKeys);
    if (!scope.delimiter().isEmpty()) {
      x.element("Delimiter", scope.enc(scope.delimiter()));
    }
    x.element("EncodingType", scope.encoding()).element("IsTruncated", l.truncated());
    if (v2 && token == null) {
      x.element("StartAfter", startAfter == null ? null : scope.enc(startAfter));
    }
    for (S3Object o : l.contents()) {
      x.open("Contents")
          .element("Key", scope.enc(o.key()))
          .element("LastModified", S3Wire.isoDate(o.lastModified()))
          .element("ETag", o.etag());
      if (o.checksum() != null) {
        x.element("ChecksumAlgorithm", o.checksum().name())
            .element("ChecksumType", o.checksumType());
      }
      x.element("Size", o.size());
      if (owner) {
        x.open("Owner").element("ID", S3Wire.OWNER_ID).close("Owner");
      }
      x.element("StorageClass", o.attrs().storageClass()).close("Contents");
    }
    for (String p : l.prefixes()) {
      x.open("CommonPrefixes").element("Prefix", scope.enc(p)).close("CommonPrefixes");
    }
    return S3Wire.xml(200, x.close("ListBucketResult"));
  }

  SandboxResponse listMultipartUploads(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    Map<String, String> q = r.query();
    Scope scope = Scope.of(q);
    int max = 1000;
    if (q.get("max-uploads") != null) {
      max =
          Math.min(
              1000, S3Wire.parseInt(q.get("max-uploads"), "max-uploads", 0, Integer.MAX_VALUE));
    }
    String keyMarker = q.get("key-marker");
    String idMarker = q.get("upload-id-marker");
    List<S3Upload> selected = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    boolean truncated = false;
    String nextKey = null;
    String nextId = null;
    for (S3Upload u : store.uploads(b.name)) {
      if (!u.key.startsWith(scope.prefix())) {
        continue;
      }
      if (keyMarker != null) {
        int c = S3Wire.compareCodePoints(u.key, keyMarker);
        if (c < 0 || (c == 0 && (idMarker == null || u.id.compareTo(idMarker) <= 0))) {
          continue;
        }
      }
      String common = scope.commonPrefix(u.key);
      if (common != null && prefixes.contains(common)) {
        continue;
      }
      if (selected.size() + prefixes.size() == max) {
        truncated = max > 0;
        break;
      }
      if (common != null) {
        prefixes.add(common);
        nextKey = common;
        nextId = null;
      } else {
        selected.add(u);
        nextKey = u.key;
        nextId = u.id;
      }
    }
    Xml x =
        new Xml()
            .open("ListMultipartUploadsResult", S3Wire.NAMESPACE)
            .element("Bucket", b.name)
            .element("KeyMarker", scope.enc(keyMarker == null ? "" : keyMarker))
            .element("UploadIdMarker", idMarker == null ? "" : idMarker);
    if (truncated) {
      x.element("NextKeyMarker", scope.enc(nextKey)).element("NextUploadIdMarker", nextId);
    }
    x.element("Prefix", scope.enc(scope.prefix()));
    if (!scope.delimiter().isEmpty()) {
      x.element("Delimiter", scope.enc(scope.delimiter()));
    }
    x.element("MaxUploads", max)
        .element("EncodingType", scope.encoding())
        .element("IsTruncated", truncated);
    for (S3Upload u : selected) {
      x.open("Upload")
          .element("Key", scope.enc(u.key))
          .element("UploadId", u.id)
          .open("Initiator")
          .element("ID", S3Wire.OWNER_ID)
          .close("Initiator")
          .open("Owner")
          .element("ID", S3Wire.OWNER_ID)
          .close("Owner")
          .element("StorageClass", u.attrs.storageClass())
          .element("Initiated", S3Wire.isoDate(u.initiated));
      if (u.checksum != null) {
        x.element("ChecksumAlgorithm", u.checksum.name()).element("ChecksumType", u.checksumType);
      }
      x.close("Upload");
    }
    for (String p : prefixes) {
      x.open("CommonPrefixes").element("Prefix", scope.enc(p)).close("CommonPrefixes");
    }
    return S3Wire.xml(200, x.close("ListMultipartUploadsResult"));
  }

  /** What every listing of a bucket takes: a prefix, a delimiter and an encoding-type. */
  private record Scope(String prefix, String delimiter, String encoding) {
    static Scope of(Map<String, String> q) {
      String encoding = q.get("encoding-type");
      if (encoding != null && !encoding.equals("url")) {
        throw S3Errors.invalidArgument(
            "Invalid Encoding Method specified in Request", "encoding-type", encoding);
      }
      return new Scope(q.getOrDefault("prefix", ""), q.getOrDefault("delimiter", ""), encoding);
    }

    /** The common prefix a key under the prefix rolls up to at the delimiter, or null. */
    String commonPrefix(String key) {
      if (!delimiter.isEmpty()) {
        int i = key.indexOf(delimiter, prefix.length());
        if (i >= 0) {
          return key.substring(0, i + delimiter.length());
        }
      }
      return null;
    }

    /** A key, prefix or marker as the answer writes it: URL-encoded when asked. */
    String enc(String s) {
      return encoding != null && s != null ? S3Wire.urlEncode(s) : s;
    }
  }
}
