package io.ebdeploy.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** What a bundle would contain, computed without writing it (for {@code plan} and lint). */
public final class BundlePlan {
  /**
   * One file the bundle would hold, as it would be zipped.
   *
   * @param name the entry name, '/'-separated, relative to the project
   * @param size the content size in bytes (for a symlink, its target's length)
   * @param executable whether it would be zipped with mode 755 (hooks need it)
   * @param symlink whether it is a symbolic link
   */
  public record File(String name, long size, boolean executable, boolean symlink) {}

  private final List<String> entries;
  private final long contentSize;
  private final Path projectDir;
  private final Map<String, Entry> files;

  BundlePlan(List<String> entries, long contentSize, Path projectDir, Map<String, Entry> files) {
    this.entries = List.copyOf(entries);
    this.contentSize = contentSize;
    this.projectDir = projectDir;
    this.files = new LinkedHashMap<>(files);
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

  /** The files from the project, sorted by name; the generated version file is not among them. */
  public List<File> files() {
    return files.values().stream()
        .map(e -> new File(e.name(), e.size(), (e.mode() & 0111) != 0, e.isSymlink()))
        .toList();
  }

  /**
   * The content {@link Bundler#create} would zip for {@code name}: the working tree's, or the git
   * index's in staged mode (a symlink gives its target).
   *
   * @throws NoSuchElementException when the plan has no such file
   */
  public byte[] read(String name) throws IOException {
    Entry entry = files.get(name);
    if (entry == null) {
      throw new NoSuchElementException(name + " is not in the bundle");
    }
    try (ContentSource content = new ContentSource(projectDir);
        InputStream in = content.open(entry)) {
      return in.readAllBytes();
    }
  }
}
