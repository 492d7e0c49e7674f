package io.ebdeploy.bundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens an entry's content wherever it lives: working tree, git index, or memory. */
final class ContentSource implements AutoCloseable {
  private final Path projectDir;
  private BlobReader blobs;

  ContentSource(Path projectDir) {
    this.projectDir = projectDir;
  }

  InputStream open(Entry entry) throws IOException {
    if (entry.data() != null) {
      return new ByteArrayInputStream(entry.data());
    }
    if (entry.blob() != null) {
      if (blobs == null) {
        blobs = new BlobReader(projectDir);
      }
      return blobs.open(entry.blob());
    }
    return Files.newInputStream(path(entry));
  }

  /** Where a working-tree entry's content is. */
  Path path(Entry entry) {
    return projectDir.resolve(entry.file());
  }

  @Override
  public void close() {
    if (blobs != null) {
      blobs.close();
    }
  }
}
