package io.ebdeploy.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the bundle comes from: a project that is built and zipped, or a zip made elsewhere. The
 * pipeline asks it for a label, a build, and the zip, in that order.
 */
interface SourceBundle {
  /** The label to deploy: the override when given, else what the source says. */
  String label();

  /** Runs the build commands; each output line goes to {@code lines}. */
  void build(Consumer<String> lines);

  /** Writes (or reads) the zip. */
  Built bundle(String label);

  /**
   * Called once the run is over, whatever its outcome: a zip this source wrote to a temporary
   * folder is deleted with the folder. A zip the caller gave is never touched.
   */
  default void discard() {}

  /**
   * The zip and what is in it.
   *
   * @param sha256 the hash of the zip's bytes
   * @param contentSha256 the hash that identifies its source content (names the object in S3,
   *     decides whether an application version is reused); for a zip made elsewhere, its sha256
   */
  record Built(Path path, String sha256, String contentSha256, long size, List<String> entries) {
    public Built {
      entries = List.copyOf(entries);
    }
  }
}
