package io.ebdeploy.bundle;

import java.nio.file.Path;

/**
 * One entry made ready by {@link Compressor} for {@link ZipWriter}: its data deflated or stored,
 * with the CRC and both sizes known. The data is in memory ({@code data}) or, for a large file, in
 * a spill file next to the zip ({@code spill}). An entry that could not be read, or that holds a
 * secret, says why ({@code problem}) and is not written.
 *
 * @param deflated whether {@code data} is a raw deflate stream (else the content as it is)
 * @param problem why the entry must not be bundled ("holds a private key"...), or null
 * @param unreadable whether {@code problem} is that the file could not be read
 */
record Compressed(
    String name,
    int mode,
    boolean deflated,
    long crc,
    long size,
    long compressedSize,
    byte[] data,
    Path spill,
    String problem,
    boolean unreadable) {

  static Compressed refused(Entry entry, String problem, boolean unreadable) {
    return new Compressed(
        entry.name(), entry.mode(), false, 0, entry.size(), 0, null, null, problem, unreadable);
  }
}
