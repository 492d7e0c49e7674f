package io.ebdeploy.bundle;

import java.nio.file.Path;
import java.util.List;

/**
 * A run of consecutive entries made ready by {@link Compressor}: their local headers and data laid
 * out in {@code buffer[0..length)} as they go into the zip, and where each header starts. A large
 * file is a batch of its own whose data waits in a spill file next to the zip, after the header.
 * Entries that must not be bundled (unreadable, secrets) are not in the buffer: the batch says why.
 *
 * @param secrets "name (why)" for each entry refused as a secret, in order
 * @param unreadable "name (why)" for each file that could not be read, in order
 */
record Batch(
    byte[] buffer,
    int length,
    List<Placed> entries,
    Path spill,
    List<String> secrets,
    List<String> unreadable) {

  /** An entry of the batch, its local header at {@code offset} in the buffer. */
  record Placed(ZipWriter.Header header, int offset) {}
}
