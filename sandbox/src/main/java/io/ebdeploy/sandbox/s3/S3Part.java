package io.ebdeploy.sandbox.s3;

import java.time.Instant;

/** One part of a multipart upload. */
record S3Part(
    int number,
    S3Blob blob,
    String etag,
    Instant lastModified,
    S3Checksum checksum,
    String checksumValue) {}
