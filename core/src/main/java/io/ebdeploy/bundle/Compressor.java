package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Turns one {@link Entry} into a {@link Compressed}, reading its content exactly once: the CRC, the
 * deflate stream and (for small files) the search for secrets all come from that one read. One per
 * worker thread: it owns its {@link Deflater}, buffers and git blob reader, none of which is
 * thread-safe.
 *
 * <p>The result depends only on the entry's content, never on the thread or the timing, so the
 * bundle's bytes are the same whatever the number of threads. An entry is stored rather than
 * deflated when its format is compressed already ({@link Bundler#storedAsIs}), when it is a
 * symlink, or when deflating it does not make it smaller: a pure function of its bytes.
 */
final class Compressor implements AutoCloseable {
  /** Files up to this size are read whole into memory; larger ones stream to a spill file. */
  static final int IN_MEMORY = 8 << 20;

  private static final int CHUNK = 1 << 16;

  private final ContentSource content;
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final Path spillDir;
  private final String spillPrefix;
  private final IgnoreRules allowedSecrets;
  private byte[] in = new byte[CHUNK];
  private byte[] out = new byte[CHUNK];

  /**
   * @param level the zlib level
   * @param spillDir where large entries are compressed to (the zip's directory)
   * @param spillPrefix the spill files' name prefix, so that the caller can find and remove them
   */
  Compressor(
      Path projectDir, int level, Path spillDir, String spillPrefix, IgnoreRules allowedSecrets) {
    this.content = new ContentSource(projectDir);
    this.deflater = new Deflater(level, true);
    this.spillDir = spillDir;
    this.spillPrefix = spillPrefix;
    this.allowedSecrets = allowedSecrets;
  }

  Compressed compress(Entry entry) throws IOException {
    if (entry.size() > IN_MEMORY) {
      return spill(entry);
    }
    int n = (int) entry.size();
    if (in.length < n) {
      in = new byte[Math.max(n, in.length * 2)];
    }
    try {
      read(entry, in, n);
    } catch (IOException e) {
      return unreadable(entry, e);
    }
    crc.reset();
    crc.update(in, 0, n);
    if (Selection.needsSniffing(entry) && !allowedSecrets.matches(entry.name(), false)) {
      Optional<String> secret = Secrets.inContent(in, n);
      if (secret.isPresent()) {
        return Compressed.refused(entry, secret.get(), false);
      }
    }
    if (n > 0 && !entry.isSymlink() && !Bundler.storedAsIs(entry.name())) {
      if (out.length < n) {
        out = new byte[Math.max(n, out.length * 2)];
      }
      deflater.reset();
      deflater.setInput(in, 0, n);
      deflater.finish();
      int c = 0;
      while (!deflater.finished() && c < n) {
        c += deflater.deflate(out, c, n - c);
      }
      if (deflater.finished() && c < n) {
        return compressed(entry, true, n, c, Arrays.copyOf(out, c), null);
      }
    }
    return compressed(entry, false, n, n, Arrays.copyOf(in, n), null);
  }

  /** Reads exactly {@code n} bytes of the entry, failing if the file has another size now. */
  private void read(Entry entry, byte[] buffer, int n) throws IOException {
    if (entry.file() != null) {
      try (FileChannel channel = FileChannel.open(content.path(entry))) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining() && channel.read(b) >= 0) {
          // a regular file gives all it has; a shorter one ends the loop
        }
        long got = b.position();
        if (got == n && channel.read(ByteBuffer.allocate(1)) > 0) {
          got = n + 1; // grew
        }
        checkSize(entry, got);
      }
      return;
    }
    try (InputStream stream = content.open(entry)) {
      int got = stream.readNBytes(buffer, 0, n);
      checkSize(entry, got + (got == n && stream.read() >= 0 ? 1 : 0));
    }
  }

  /** A large entry: deflated (or copied) to a spill file while its CRC is computed. */
  private Compressed spill(Entry entry) throws IOException {
    boolean store = entry.isSymlink() || Bundler.storedAsIs(entry.name());
    Path file = Files.createTempFile(spillDir, spillPrefix, ".spill");
    long size;
    long compressedSize;
    try {
      try (OutputStream sink = Files.newOutputStream(file)) {
        size = copy(entry, sink, !store);
      }
      compressedSize = Files.size(file);
      if (!store && compressedSize >= size) {
        // Deflate did not shrink it: store it, from a second read that must give the same bytes.
        long firstCrc = crc.getValue();
        try (OutputStream sink = Files.newOutputStream(file)) {
          copy(entry, sink, false);
        }
        if (crc.getValue() != firstCrc) {
          throw changed(entry, "its content changed");
        }
        store = true;
        compressedSize = size;
      }
    } catch (IOException e) {
      Files.deleteIfExists(file);
      return unreadable(entry, e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return compressed(entry, !store, size, compressedSize, null, file);
  }

  /** Copies the entry's content to {@code sink}, deflated or not, in fixed-size chunks. */
  private long copy(Entry entry, OutputStream sink, boolean deflate) throws IOException {
    crc.reset();
    deflater.reset();
    long total = 0;
    try (InputStream stream = content.open(entry)) {
      for (int n = stream.readNBytes(in, 0, CHUNK); n > 0; n = stream.readNBytes(in, 0, CHUNK)) {
        crc.update(in, 0, n);
        total += n;
        if (deflate) {
          deflater.setInput(in, 0, n);
          while (!deflater.needsInput()) {
            sink.write(out, 0, deflater.deflate(out));
          }
        } else {
          sink.write(in, 0, n);
        }
      }
    }
    if (deflate) {
      deflater.finish();
      while (!deflater.finished()) {
        sink.write(out, 0, deflater.deflate(out));
      }
    }
    checkSize(entry, total);
    return total;
  }

  private Compressed compressed(
      Entry entry, boolean deflated, long size, long compressedSize, byte[] data, Path spill) {
    return new Compressed(
        entry.name(),
        entry.mode(),
        deflated,
        crc.getValue(),
        size,
        compressedSize,
        data,
        spill,
        null,
        false);
  }

  private static void checkSize(Entry entry, long got) {
    if (got != entry.size()) {
      throw changed(entry, entry.size() + " bytes, then " + (got > entry.size() ? "more" : got));
    }
  }

  private static EbDeployException changed(Entry entry, String how) {
    return EbDeployException.invalidInput(
        Printable.of(entry.name())
            + " changed while it was being bundled ("
            + how
            + "); stop whatever writes to it and deploy again");
  }

  /**
   * A working-tree file that cannot be read is the project's problem, reported with the others
   * (exit 2); a file deleted since it was listed changed under us. Other failures (git's blob
   * reader) are rethrown.
   */
  private static Compressed unreadable(Entry entry, IOException e) throws IOException {
    if (entry.file() == null) {
      throw e;
    }
    if (e instanceof NoSuchFileException) {
      throw changed(entry, "deleted");
    }
    String reason =
        e instanceof AccessDeniedException
            ? "permission denied"
            : e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : String.valueOf(e.getMessage());
    return Compressed.refused(entry, reason, true);
  }

  @Override
  public void close() {
    content.close();
    deflater.end();
  }
}
