package io.ebdeploy.sandbox;

import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's buckets and objects, as the other APIs see them (Elastic Beanstalk reads bundles
 * and creates its storage bucket; Tagging lists bucket tags). OWNED BY THE S3 WORK: stub to be
 * filled.
 */
final class S3Store {
  S3Store(SandboxContext context) {}

  /** Creates the bucket if it does not exist yet. */
  void ensureBucket(String name, String region) {
    throw new UnsupportedOperationException("TODO");
  }

  boolean bucketExists(String name) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The object's bytes, or empty when the bucket or key does not exist. */
  Optional<byte[]> read(String bucket, String key) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Every bucket's name mapped to its tags (empty when it has none). */
  Map<String, Map<String, String>> bucketTags() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The region a bucket was created in. */
  String bucketRegion(String name) {
    throw new UnsupportedOperationException("TODO");
  }
}
