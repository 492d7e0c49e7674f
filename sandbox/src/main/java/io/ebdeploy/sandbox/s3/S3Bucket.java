package io.ebdeploy.sandbox.s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A bucket: its objects in S3's key order, and the lock whose write side only DeleteBucket takes.
 * {@link S3Store} owns every change to it.
 */
final class S3Bucket {
  final String name;
  final String region;
  final Instant created;
  final Path dir;
  final ConcurrentSkipListMap<String, S3Object> objects =
      new ConcurrentSkipListMap<>(S3Wire.KEY_ORDER);
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  volatile Map<String, String> tags = Map.of();
  volatile boolean deleted;

  S3Bucket(String name, String region, Instant created, Path dir) {
    this.name = name;
    this.region = region;
    this.created = created;
    this.dir = dir;
  }
}
