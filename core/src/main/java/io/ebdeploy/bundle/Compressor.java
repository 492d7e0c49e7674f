package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Turns a run of entries into a {@link Batch}, reading each file's content exactly once: its CRC,
 * its deflate stream and (for small files) the search for secrets all come from that one read. One
 * per worker thread: it owns its {@link Deflater}, its input buffer and its git blob reader, none
 * of which is thread-safe.
 *
 * <p>The bytes depend only on the entries' content, never on the thread or the timing, so the
 * bundle is the same whatever the number of threads. An entry is stored rather than deflated when
 * its format is compressed already ({@link Bundler#storedAsIs}), when it is a symlink or empty, or
 * when deflating it does not make it smaller: a pure function of its bytes.
 */
final class Compressor implements AutoCloseable {
  /** Files up to this size are read whole into memory; larger ones stream to a spill file. */
  static final int IN_MEMORY = 8 << 20;

  private static final int CHUNK = 1 << 16;

  private final ContentSource content;
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final long dosTime;
  private final Path spillDir;
  private final String spillPrefix;
  private final IgnoreRules allowedSecrets;
  private final List<Path> spills = new ArrayList<>();
  private byte[] in = new byte[CHUNK];
  private byte[] out = new byte[CHUNK];

  /**
   * @param level the zlib level
   * @param dosTime every entry's DOS date and time
   * @param spillDir where large entries are compressed to (the zip's directory)
   * @param spillPrefix the spill files' name prefix
   */
  Compressor(
      Path projectDir,
      int level,
      long dosTime,
      Path spillDir,
      String spillPrefix,
      IgnoreRules allowedSecrets) {
    this.content = new ContentSource(projectDir);
    this.deflater = new Deflater(level, true);
    this.dosTime = dosTime;
    this.spillDir = spillDir;
    this.spillPrefix = spillPrefix;
    this.allowedSecrets = allowedSecrets;
  }

  /**
   * Compresses {@code entries} into {@code buffer} (grown when too small: the batch holds the one
   * in use). An entry over {@link #IN_MEMORY} must come alone.
   */
  Batch compress(List<Entry> entries, byte[] buffer) throws IOException {
    if (entries.size() == 1 && entries.get(0).size() > IN_MEMORY) {
      return spill(entries.get(0), buffer);
    }
    List<Batch.Placed> placed = new ArrayList<>(entries.size());
    List<String> secrets = new ArrayList<>(0);
    List<String> unreadable = new ArrayList<>(0);
    int at = 0;
    for (Entry entry : entries) {
      int n = (int) entry.size();
      if (in.length < n) {
        in = new byte[Math.max(n, in.length * 2)];
      }
      try {
        read(entry, n);
      } catch (IOException e) {
        unreadable.add(Printable.of(entry.name()) + " (" + unreadable(entry, e) + ")");
        continue;
      }
      crc.reset();
      crc.update(in, 0, n);
      if (Selection.needsSniffing(entry) && !allowedSecrets.matches(entry.name(), false)) {
        Optional<String> secret = Secrets.inContent(in, n);
        if (secret.isPresent()) {
          secrets.add(Printable.of(entry.name()) + " (" + secret.get() + ")");
          continue;
        }
      }
      byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
      int data = at + ZipWriter.LOCAL_FIXED + name.length;
      if (buffer.length < data + n) {
        buffer = Arrays.copyOf(buffer, Math.max(data + n, buffer.length * 2));
      }
      int compressed = n > 0 && deflatable(entry) ? deflate(n, buffer, data) : -1;
      ZipWriter.Header header =
          new ZipWriter.Header(
              name,
              entry.mode(),
              compressed >= 0,
              (int) crc.getValue(),
              n,
              compressed >= 0 ? compressed : n);
      if (compressed < 0) {
        System.arraycopy(in, 0, buffer, data, n);
      }
      ZipWriter.localHeader(buffer, at, header, dosTime);
      placed.add(new Batch.Placed(header, at));
      at = data + (int) header.compressedSize();
    }
    return new Batch(buffer, at, placed, null, secrets, unreadable);
  }

  private static boolean deflatable(Entry entry) {
    return !entry.isSymlink() && !Bundler.storedAsIs(entry.name());
  }

  /**
   * Deflates {@code in[0..n)} into {@code buffer} at {@code at}; returns the compressed size, or -1
   * when deflate does not make it smaller (then nothing meaningful is left in the buffer).
   */
  private int deflate(int n, byte[] buffer, int at) {
    deflater.reset();
    deflater.setInput(in, 0, n);
    deflater.finish();
    int c = 0;
    while (!deflater.finished() && c < n) {
      c += deflater.deflate(buffer, at + c, n - c);
    }
    return deflater.finished() && c < n ? c : -1;
  }

  /** Reads exactly {@code n} bytes of the entry into {@code in}, failing if its size changed. */
  private void read(Entry entry, int n) throws IOException {
    if (entry.file() != null) {
      try (FileChannel channel = FileChannel.open(content.path(entry))) {
        ByteBuffer b = ByteBuffer.wrap(in, 0, n);
        while (b.hasRemaining() && channel.read(b) >= 0) {
          // a regular file gives all it has; a shorter one ends the loop
        }
        long got = b.position();
        if (got == n && channel.read(ByteBuffer.allocate(1)) > 0) {
          got = n + 1L; // grew
        }
        checkSize(entry, got);
      }
      return;
    }
    try (InputStream stream = content.open(entry)) {
      int got = stream.readNBytes(in, 0, n);
      checkSize(entry, got + (got == n && stream.read() >= 0 ? 1L : 0L));
    }
  }

  /** A large entry: its header in the buffer, its data deflated (or copied) to a spill file. */
  private Batch spill(Entry entry, byte[] buffer) throws IOException {
    boolean store = !deflatable(entry);
    Path file = Files.createTempFile(spillDir, spillPrefix, ".spill");
    spills.add(file);
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
      String why = Printable.of(entry.name()) + " (" + unreadable(entry, e) + ")";
      return new Batch(buffer, 0, List.of(), null, List.of(), List.of(why));
    }
    ZipWriter.Header header =
        ZipWriter.Header.of(
            entry.name(), entry.mode(), !store, crc.getValue(), size, compressedSize);
    if (buffer.length < header.localLength()) {
      buffer = new byte[header.localLength()];
    }
    ZipWriter.localHeader(buffer, 0, header, dosTime);
    return new Batch(
        buffer,
        header.localLength(),
        List.of(new Batch.Placed(header, 0)),
        file,
        List.of(),
        List.of());
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
   * Why a working-tree file cannot be read: the project's problem, reported with the others (exit
   * 2). A file deleted since it was listed changed under us; other failures (git's blob reader) are
   * rethrown.
   */
  private static String unreadable(Entry entry, IOException e) throws IOException {
    if (entry.file() == null) {
      throw e;
    }
    if (e instanceof NoSuchFileException) {
      throw changed(entry, "deleted");
    }
    return e instanceof AccessDeniedException
        ? "permission denied"
        : e instanceof FileSystemException fs && fs.getReason() != null
            ? fs.getReason()
            : String.valueOf(e.getMessage());
  }

  /** Releases the blob reader and the deflater, and removes spill files the writer did not take. */
  @Override
  public void close() {
    content.close();
    deflater.end();
    for (Path spill : spills) {
      try {
        Files.deleteIfExists(spill);
      } catch (IOException e) {
        // Best effort: named after the zip, next to it.
      }
    }
  }
}
