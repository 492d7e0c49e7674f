package io.ebdeploy.bundle;

import java.nio.file.Path;
import java.util.List;

/** A written source bundle: the zip, its SHA-256 and what is in it. */
public final class Bundle {
  private final Path path;
  private final String sha256;
  private final long size;
  private final List<String> entries;

  Bundle(Path path, String sha256, long size, List<String> entries) {
    this.path = path;
    this.sha256 = sha256;
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

  /** The zip's size in bytes. */
  public long size() {
    return size;
  }

  /** How many files (symlinks included) the zip holds; it holds no directory entries. */
  public int fileCount() {
    return entries.size();
  }

  /** The entry names, sorted, as they are in the zip. */
  public List<String> entries() {
    return entries;
  }

  @Override
  public String toString() {
    return path + " (" + fileCount() + " files, " + size + " bytes, sha256 " + sha256 + ")";
  }
}
