package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import java.util.Map;

/** Bucket and object tagging: Put/Get/DeleteBucketTagging, Get/Put/DeleteObjectTagging. */
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
    Map<String, String> tags = TagSets.parseTagging(Payload.of(r, false).data(), 50, true);
    store.setTags(b, tags);
    return SandboxResponse.empty(204);
  }

  SandboxResponse getBucketTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    if (b.tags.isEmpty()) {
      throw S3Errors.error(404, "NoSuchTagSet", "The TagSet does not exist", "BucketName", b.name);
    }
    return S3Wire.xml(200, TagSets.tagging(b.tags));
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
    return S3Wire.xml(200, TagSets.tagging(o.attrs().tags()));
  }

  SandboxResponse putObjectTagging(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkVersionId(r);
    Payload.requireChecksum(r);
    Map<String, String> tags = TagSets.parseTagging(Payload.of(r, false).data(), 10, false);
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
}
