package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.Xml;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Bucket and object tagging (Put/Get/DeleteBucketTagging, Get/Put/DeleteObjectTagging, the {@code
 * x-amz-tagging} header), with S3's rules on tag sets.
 */
final class TaggingOperations {
  private final S3Store store;

  private final BucketOperations buckets;

  TaggingOperations(S3Store store, BucketOperations buckets) {
    this.store = store;
    this.buckets = buckets;
  }

  SandboxResponse putBucketTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    Payload.requireChecksum(r);
    Map<String, String> tags = parseTagging(Payload.of(r, false).data(), 50, true);
    store.setTags(b, tags);
    return SandboxResponse.empty(204);
  }

  SandboxResponse getBucketTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    if (b.tags.isEmpty()) {
      throw S3Errors.error(404, "NoSuchTagSet", "The TagSet does not exist", "BucketName", b.name);
    }
    return S3Wire.xml(200, tagging(b.tags));
  }

  SandboxResponse deleteBucketTagging(SandboxRequest r, Target t) {
    store.setTags(buckets.addressed(r, t), Map.of());
    return SandboxResponse.empty(204);
  }

  SandboxResponse getObjectTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkVersionId(r);
    S3Object o = store.get(b, t.key());
    if (o == null) {
      throw S3Errors.noSuchKey(t.key());
    }
    return S3Wire.xml(200, tagging(o.attrs().tags()));
  }

  SandboxResponse putObjectTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkVersionId(r);
    Payload.requireChecksum(r);
    Map<String, String> tags = parseTagging(Payload.of(r, false).data(), 10, false);
    retag(b, t.key(), tags);
    return SandboxResponse.empty(200);
  }

  SandboxResponse deleteObjectTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkVersionId(r);
    retag(b, t.key(), Map.of());
    return SandboxResponse.empty(204);
  }

  /** Replaces an object's tags, keeping its bytes, ETag and LastModified (as S3 does). */
  private void retag(S3Bucket b, String key, Map<String, String> tags) {
    while (true) {
      S3Object o = store.get(b, key);
      if (o == null) {
        throw S3Errors.noSuchKey(key);
      }
      S3Object.Attrs a = o.attrs();
      S3Object tagged =
          new S3Object(
              o.key(),
              o.blob(),
              o.etag(),
              o.lastModified(),
              new S3Object.Attrs(a.headers(), a.metadata(), a.storageClass(), a.sse(), tags),
              o.checksum(),
              o.checksumValue(),
              o.checksumType(),
              o.partSizes());
      try {
        store.put(b, tagged, o.etag(), false);
        return;
      } catch (ApiException e) {
        if (!e.code().equals("PreconditionFailed")) {
          throw e;
        }
        // Overwritten meanwhile: tag the new version.
      }
    }
  }

  private static Xml tagging(Map<String, String> tags) {
    Xml x = new Xml().open("Tagging", S3Wire.NAMESPACE).open("TagSet");
    tags.forEach((k, v) -> x.open("Tag").element("Key", k).element("Value", v).close("Tag"));
    return x.close("TagSet").close("Tagging");
  }

  /** Parses {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...}, checked as S3 checks it. */
  private static Map<String, String> parseTagging(byte[] body, int max, boolean bucket) {
    Element root = S3Wire.parseXml(body, "Tagging");
    List<Element> sets = S3Wire.children(root, "TagSet");
    if (sets.size() != 1) {
      throw S3Errors.malformedXml();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Element tag : S3Wire.children(sets.get(0), "Tag")) {
      String k = S3Wire.childText(tag, "Key");
      String v = S3Wire.childText(tag, "Value");
      if (k == null || v == null) {
        throw S3Errors.malformedXml();
      }
      addTag(tags, k, v);
    }
    checkTags(tags, max, bucket);
    return tags;
  }

  static Map<String, String> tagsHeader(SandboxRequest r) {
    String header = r.header("x-amz-tagging");
    if (header == null || header.isEmpty()) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k =
          java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v =
          eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      addTag(tags, k, v);
    }
    checkTags(tags, 10, false);
    return tags;
  }

  private static void addTag(Map<String, String> tags, String k, String v) {
    if (tags.containsKey(k)) {
      throw S3Errors.error(400, "InvalidTag", "Cannot provide multiple Tags with the same key");
    }
    tags.put(k, v);
  }

  private static void checkTags(Map<String, String> tags, int max, boolean bucket) {
    if (tags.size() > max) {
      throw bucket
          ? S3Errors.error(400, "InvalidTag", "Bucket tag count cannot be greater than " + max)
          : S3Errors.error(400, "BadRequest", "Object tags cannot be greater than " + max);
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String k = e.getKey();
      if (k.isEmpty() || k.codePointCount(0, k.length()) > 128) {
        throw S3Errors.error(
            400, "InvalidTag", "The TagKey you have provided is invalid", "TagKey", k);
      }
      if (e.getValue().codePointCount(0, e.getValue().length()) > 256) {
        throw S3Errors.error(
            400, "InvalidTag", "The TagValue you have provided is too long, max 256", "TagKey", k);
      }
      if (k.startsWith("aws:")) {
        throw S3Errors.error(
            400, "InvalidTag", "System tags cannot be added/updated by requester", "TagKey", k);
      }
    }
  }
}
