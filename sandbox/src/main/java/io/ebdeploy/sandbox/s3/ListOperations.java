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
  private static Listing list(S3Bucket b, String prefix, String delimiter, String marker, int max) {
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
      String common = null;
      if (!delimiter.isEmpty()) {
        int i = key.indexOf(delimiter, prefix.length());
        if (i >= 0) {
          common = key.substring(0, i + delimiter.length());
        }
      }
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
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.getOrDefault("delimiter", "");
    String encoding = q.get("encoding-type");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Errors.invalidArgument(
          "Invalid Encoding Method specified in Request", "encoding-type", encoding);
    }
    boolean url = encoding != null;
    int maxKeys = 1000;
    if (q.get("max-keys") != null) {
      maxKeys = S3Wire.parseInt(q.get("max-keys"), "max-keys", 0, Integer.MAX_VALUE);
    }
    String token = v2 ? q.get("continuation-token") : null;
    String startAfter = v2 ? q.get("start-after") : null;
    String marker = v2 ? (token != null ? S3Wire.decodeToken(token) : startAfter) : q.get("marker");
    boolean owner = !v2 || "true".equals(q.get("fetch-owner"));
    Listing l = list(b, prefix, delimiter, marker, Math.min(maxKeys, 1000));

    Xml x = new Xml().open("ListBucketResult", S3Wire.NAMESPACE).element("Name", b.name);
    x.element("Prefix", enc(prefix, url));
    if (v2) {
      x.element("ContinuationToken", token);
      if (l.truncated()) {
        x.element("NextContinuationToken", S3Wire.encodeToken(l.last()));
      }
      x.element("KeyCount", l.contents().size() + l.prefixes().size());
    } else {
      x.element("Marker", enc(q.getOrDefault("marker", ""), url));
      if (l.truncated() && !delimiter.isEmpty()) {
        x.element("NextMarker", enc(l.last(), url));
      }
    }
    x.element("MaxKeys", maxKeys);
    if (!delimiter.isEmpty()) {
      x.element("Delimiter", enc(delimiter, url));
    }
    x.element("EncodingType", encoding).element("IsTruncated", l.truncated());
    if (v2 && token == null) {
      x.element("StartAfter", startAfter == null ? null : enc(startAfter, url));
    }
    for (S3Object o : l.contents()) {
      x.open("Contents")
          .element("Key", enc(o.key(), url))
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
      x.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    }
    return S3Wire.xml(200, x.close("ListBucketResult"));
  }

  SandboxResponse listMultipartUploads(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    Map<String, String> q = r.query();
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.getOrDefault("delimiter", "");
    String encoding = q.get("encoding-type");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Errors.invalidArgument(
          "Invalid Encoding Method specified in Request", "encoding-type", encoding);
    }
    boolean url = encoding != null;
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
      if (!u.key.startsWith(prefix)) {
        continue;
      }
      if (keyMarker != null) {
        int c = S3Wire.compareCodePoints(u.key, keyMarker);
        if (c < 0 || (c == 0 && (idMarker == null || u.id.compareTo(idMarker) <= 0))) {
          continue;
        }
      }
      String common = null;
      if (!delimiter.isEmpty()) {
        int i = u.key.indexOf(delimiter, prefix.length());
        if (i >= 0) {
          common = u.key.substring(0, i + delimiter.length());
        }
      }
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
            .element("KeyMarker", enc(keyMarker == null ? "" : keyMarker, url))
            .element("UploadIdMarker", idMarker == null ? "" : idMarker);
    if (truncated) {
      x.element("NextKeyMarker", enc(nextKey, url)).element("NextUploadIdMarker", nextId);
    }
    x.element("Prefix", enc(prefix, url));
    if (!delimiter.isEmpty()) {
      x.element("Delimiter", enc(delimiter, url));
    }
    x.element("MaxUploads", max)
        .element("EncodingType", encoding)
        .element("IsTruncated", truncated);
    for (S3Upload u : selected) {
      x.open("Upload")
          .element("Key", enc(u.key, url))
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
      x.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    }
    return S3Wire.xml(200, x.close("ListMultipartUploadsResult"));
  }

  private static String enc(String s, boolean url) {
    return url && s != null ? S3Wire.urlEncode(s) : s;
  }
}
