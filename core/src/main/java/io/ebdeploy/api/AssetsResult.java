package io.ebdeploy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a static-assets sync did, or, when {@link #dryRun()}, would do (docs/assets.md). Immutable.
 *
 * @param bucket the S3 bucket ({@code static.bucket})
 * @param prefix the key prefix, normalised: empty or ending in {@code /}
 * @param dryRun true for a plan: nothing was written, the counts are what a sync would do
 * @param files the files in {@code static.dir}
 * @param bytes their total size
 * @param added files not in S3 yet, uploaded
 * @param changed files in S3 with other content, uploaded over it
 * @param uploadedBytes the bytes of {@code added} and {@code changed}
 * @param skipped files in S3 with the same content (and headers), not uploaded
 * @param headersUpdated files with the same content whose Content-Type, Cache-Control or
 *     Content-Encoding changed: updated in place by a server-side copy, no upload
 * @param deleted objects under the prefix that no kept release references, deleted (or, for a plan,
 *     that would be deleted once this release succeeded)
 * @param deletedBytes their total size
 * @param manifest the release manifest written (or to be written), when there is a release
 * @param notDeleted why nothing is deleted: {@code static.delete: never}, not a deploy, too few
 *     releases recorded yet, the deploy failed; empty when deletion ran or would run
 * @param planTook scanning and hashing the folder, listing the bucket, reading manifests
 * @param uploadTook the uploads (zero for a plan)
 * @param pruneTook writing the release manifest and deleting (zero when that did not run)
 */
public record AssetsResult(
    String bucket,
    String prefix,
    boolean dryRun,
    int files,
    long bytes,
    int added,
    int changed,
    long uploadedBytes,
    int skipped,
    int headersUpdated,
    int deleted,
    long deletedBytes,
    Optional<String> manifest,
    Optional<String> notDeleted,
    Duration planTook,
    Duration uploadTook,
    Duration pruneTook) {

  /** Files uploaded: {@code added + changed}. */
  public int uploaded() {
    return added + changed;
  }

  /** The time of the sync before the environments switch: planning plus uploading. */
  public Duration syncTook() {
    return planTook.plus(uploadTook);
  }

  /** This result with the outcome of deleting after the release. */
  public AssetsResult withPrune(
      int deleted,
      long deletedBytes,
      Optional<String> manifest,
      Optional<String> notDeleted,
      Duration pruneTook) {
    return new AssetsResult(
        bucket,
        prefix,
        dryRun,
        files,
        bytes,
        added,
        changed,
        uploadedBytes,
        skipped,
        headersUpdated,
        deleted,
        deletedBytes,
        manifest,
        notDeleted,
        planTook,
        uploadTook,
        pruneTook);
  }

  /** The fields as a JSON object's members, durations in milliseconds. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bucket", bucket);
    m.put("prefix", prefix);
    m.put("dryRun", dryRun);
    m.put("files", files);
    m.put("bytes", bytes);
    m.put("uploaded", uploaded());
    m.put("added", added);
    m.put("changed", changed);
    m.put("uploadedBytes", uploadedBytes);
    m.put("skipped", skipped);
    m.put("headersUpdated", headersUpdated);
    m.put("deleted", deleted);
    m.put("deletedBytes", deletedBytes);
    m.put("manifest", manifest.orElse(null));
    m.put("notDeleted", notDeleted.orElse(null));
    m.put("planMillis", planTook.toMillis());
    m.put("uploadMillis", uploadTook.toMillis());
    m.put("pruneMillis", pruneTook.toMillis());
    return m;
  }

  /** Pretty-printed JSON of {@link #toMap()}. */
  public String toJson() {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
