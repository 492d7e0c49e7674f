package io.ebdeploy.sandbox.s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListMap;

/** An in-progress multipart upload. Its part map changes only under its monitor. */
final class S3Upload {
  final String id;
  final String bucket;
  final String key;
  final Instant initiated;
  final S3Object.Attrs attrs;
  final S3Checksum checksum;
  final String checksumType;
  final Path dir;
  final ConcurrentSkipListMap<Integer, S3Part> parts = new ConcurrentSkipListMap<>();
  boolean done;

  S3Upload(
      String id,
      String bucket,
      String key,
      Instant initiated,
      S3Object.Attrs attrs,
      S3Checksum checksum,
      String checksumType,
      Path dir) {
    this.id = id;
    this.bucket = bucket;
    this.key = key;
    this.initiated = initiated;
    this.attrs = attrs;
    this.checksum = checksum;
    this.checksumType = checksumType;
    this.dir = dir;
  }
}
