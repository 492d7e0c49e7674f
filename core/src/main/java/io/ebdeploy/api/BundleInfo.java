package io.ebdeploy.api;

import java.nio.file.Path;

/**
 * The source bundle deployed: built once for the whole group.
 *
 * @param path the zip on disk: a project's is written to a temporary folder that is deleted when
 *     {@code deploy()} or {@code plan()} returns, so it no longer exists in their results; a zip
 *     given to {@code EbDeploy.forBundle} is never touched
 * @param sha256 the zip's SHA-256, hex
 * @param size bytes
 * @param fileCount entries in the zip
 * @param bucket the storage bucket, or empty before it is known (plan)
 * @param key the object key: {@code <application>/<label>-<sha8>.zip}
 */
public record BundleInfo(
    Path path, String sha256, long size, int fileCount, String bucket, String key) {

  /** The first 8 hex digits of the hash, as they appear in the key. */
  public String sha8() {
    return sha256.substring(0, Math.min(8, sha256.length()));
  }
}
