package io.ebdeploy.bundle;

import java.util.List;

/** What a bundle would contain, computed without writing it (for {@code plan}). */
public final class BundlePlan {
  private final List<String> entries;
  private final long contentSize;

  BundlePlan(List<String> entries, long contentSize) {
    this.entries = List.copyOf(entries);
    this.contentSize = contentSize;
  }

  /** The entry names as {@link Bundler#create} writes them: sorted, then the version file. */
  public List<String> entries() {
    return entries;
  }

  public int fileCount() {
    return entries.size();
  }

  /** The files' total size before compression (the version file not counted). */
  public long contentSize() {
    return contentSize;
  }
}
