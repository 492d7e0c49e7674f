package io.ebdeploy.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's buckets and objects, as the other APIs see them (Elastic Beanstalk reads bundles
 * and creates its storage bucket; Tagging lists bucket tags). OWNED BY THE S3 WORK.
 *
 * <p>TEMPORARY PLACEHOLDER written on the eb branch so that the Elastic Beanstalk and Tagging work
 * can be tested before the real S3 lands: an in-memory map, no persistence. The S3 engineer's
 * version replaces this file at merge; it must keep these package-private methods, including {@link
 * #deleteObject} (DeleteApplicationVersion with DeleteSourceBundle=true) and {@link #put} (tests
 * only, until the SDK's PutObject works against the real S3Api).
 */
final class S3Store {
  private final Map<String, String> regions = new ConcurrentHashMap<>();
  private final Map<String, Map<String, byte[]>> objects = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

  S3Store(SandboxContext context) {}

  /** Creates the bucket if it does not exist yet. */
  void ensureBucket(String name, String region) {
    regions.putIfAbsent(name, region);
    objects.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    tags.computeIfAbsent(name, n -> new LinkedHashMap<>());
  }

  boolean bucketExists(String name) {
    return regions.containsKey(name);
  }

  /** The object's bytes, or empty when the bucket or key does not exist. */
  Optional<byte[]> read(String bucket, String key) {
    Map<String, byte[]> b = objects.get(bucket);
    return b == null ? Optional.empty() : Optional.ofNullable(b.get(key));
  }

  /** Every bucket's name mapped to its tags (empty when it has none). */
  Map<String, Map<String, String>> bucketTags() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    tags.forEach((k, v) -> out.put(k, Map.copyOf(v)));
    return out;
  }

  /** The region a bucket was created in. */
  String bucketRegion(String name) {
    return regions.get(name);
  }

  /** Deletes an object; nothing happens when it does not exist. */
  void deleteObject(String bucket, String key) {
    Map<String, byte[]> b = objects.get(bucket);
    if (b != null) {
      b.remove(key);
    }
  }

  /** PLACEHOLDER for tests: stores an object, creating its bucket in us-east-1 if needed. */
  void put(String bucket, String key, byte[] bytes) {
    ensureBucket(bucket, "us-east-1");
    objects.get(bucket).put(key, bytes.clone());
  }

  /** PLACEHOLDER for tests: sets a bucket's tags. */
  void putBucketTags(String bucket, Map<String, String> bucketTags) {
    tags.put(bucket, new LinkedHashMap<>(bucketTags));
  }
}
