package io.ebdeploy.bundle;

import java.nio.file.Path;
import java.util.List;

/** A written source bundle: the zip, its SHA-256 and what is in it. */
public final class Bundle {
  private final Path path;
  private final String sha256;
  private final String contentSha256;
  private final long size;
  private final List<String> entries;

  Bundle(Path path, String sha256, String contentSha256, long size, List<String> entries) {
    this.path = path;
    this.sha256 = sha256;
    this.contentSha256 = contentSha256;
    this.size = size;
    this.entries = List.copyOf(entries);
  }

  /** The zip file. */
  public Path path() {
    return path;
  }

  /** The SHA-256 of the zip's bytes, lower-case hex: equal inputs give equal hashes. */
  public String sha256() {
    return sha256;
  }

  /**
   * The SHA-256 of the zip's bytes up to the version file, which is written last: it identifies the
   * source content whoever deploys it and whenever, so it names the bundle in S3 and decides
   * whether an application version can be reused.
   */
  public String contentSha256() {
    return contentSha256;
  }

  /** The zip's size in bytes. */
  public long size() {
    return size;
  }

  /** How many files (symlinks included) the zip holds; it holds no directory entries. */
  public int fileCount() {
    return entries.size();
  }

  /** The entry names as they are in the zip: sorted, then the version file. */
  public List<String> entries() {
    return entries;
  }

  @Override
  public String toString() {
    return path + " (" + fileCount() + " files, " + size + " bytes, sha256 " + sha256 + ")";
  }
}
