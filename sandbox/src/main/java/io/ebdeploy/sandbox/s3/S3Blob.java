package io.ebdeploy.sandbox.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The bytes of an object or a part: in memory, or in a file under the state directory. */
interface S3Blob {
  long size();

  /**
   * Reads {@code length} bytes from {@code offset}; throws {@link Gone} if the file was removed.
   */
  byte[] read(long offset, int length);

  default byte[] readAll() {
    return read(0, Math.toIntExact(size()));
  }

  /** The file holding the bytes, or null in memory. */
  default Path file() {
    return null;
  }

  /** The blob's file was deleted under a reader (the object was overwritten meanwhile). */
  final class Gone extends RuntimeException {
    Gone(Path path) {
      super(path.toString(), null, false, false);
    }
  }

  record Memory(byte[] bytes) implements S3Blob {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public byte[] read(long offset, int length) {
      if (offset == 0 && length == bytes.length) {
        return bytes;
      }
      byte[] out = new byte[length];
      System.arraycopy(bytes, Math.toIntExact(offset), out, 0, length);
      return out;
    }
  }

  record File(Path path, long size) implements S3Blob {
    @Override
    public byte[] read(long offset, int length) {
      byte[] out = new byte[length];
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.wrap(out);
        long pos = offset;
        while (buf.hasRemaining()) {
          int n = ch.read(buf, pos);
          if (n < 0) {
            throw new IOException("unexpected end of " + path);
          }
          pos += n;
        }
        return out;
      } catch (NoSuchFileException e) {
        throw new Gone(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Path file() {
      return path;
    }
  }
}
