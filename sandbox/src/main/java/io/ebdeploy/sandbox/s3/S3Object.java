package io.ebdeploy.sandbox.s3;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored object, immutable: an overwrite replaces it whole.
 *
 * @param etag the quoted ETag: the hex MD5 of the content, or of the part MD5s plus "-N"
 * @param lastModified to the second, as S3 keeps it
 * @param checksum the algorithm of the stored checksum (the client's, or CRC64NVME by default)
 * @param checksumValue its Base64 value; composite ones end in "-N"
 * @param checksumType FULL_OBJECT or COMPOSITE
 * @param partSizes the sizes of the parts of a multipart object, empty for a single PUT
 */
record S3Object(
    String key,
    S3Blob blob,
    String etag,
    Instant lastModified,
    Attrs attrs,
    S3Checksum checksum,
    String checksumValue,
    String checksumType,
    List<Long> partSizes) {

  long size() {
    return blob.size();
  }

  /**
   * What a client sets on an object besides its bytes.
   *
   * @param headers Content-Type, Content-Encoding, Cache-Control, Content-Disposition,
   *     Content-Language, Expires, by those names
   * @param metadata user metadata: lower-case names without the x-amz-meta- prefix
   * @param storageClass STANDARD unless set
   * @param sse the server-side encryption S3 reports (AES256 by default since 2023)
   */
  record Attrs(
      Map<String, String> headers,
      Map<String, String> metadata,
      String storageClass,
      String sse,
      Map<String, String> tags) {}
}
