package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads blobs from the git object store through one long-running {@code git cat-file --batch}, for
 * bundling the index ({@code bundle.staged}) without touching the working tree.
 */
final class BlobReader implements AutoCloseable {
  private final Process process;
  private final OutputStream requests;
  private final InputStream responses;

  BlobReader(Path dir) {
    try {
      process =
          new ProcessBuilder("git", "cat-file", "--batch")
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw EbDeployException.invalidInput(
          "cannot run git cat-file in " + Printable.of(dir.toString()) + ": " + e.getMessage());
    }
    requests = process.getOutputStream();
    responses = new BufferedInputStream(process.getInputStream(), 1 << 16);
  }

  /** Reads one whole blob; for the small ones (symlink targets, secret sniffing). */
  byte[] read(String blob) {
    try (InputStream in = open(blob)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The blob's content; read it to the end or close it before opening the next one. */
  InputStream open(String blob) throws IOException {
    requests.write((blob + "\n").getBytes(StandardCharsets.US_ASCII));
    requests.flush();
    String header = readLine();
    String[] parts = header.split(" ");
    if (parts.length != 3 || !parts[1].equals("blob")) {
      throw EbDeployException.invalidInput(
          "git cat-file cannot read object "
              + blob
              + " ("
              + header
              + "); is the repository intact?");
    }
    long size = Long.parseLong(parts[2]);
    return new InputStream() {
      private long left = size;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
          return -1;
        }
        int n = responses.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new IOException("git cat-file ended in the middle of " + blob);
        }
        left -= n;
        return n;
      }

      @Override
      public void close() throws IOException {
        responses.skipNBytes(left + 1); // the rest and the LF after each blob
        left = 0;
      }
    };
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = responses.read(); c != '\n'; c = responses.read()) {
      if (c < 0) {
        throw new IOException("git cat-file ended unexpectedly");
      }
      line.write(c);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      requests.close();
      responses.close();
    } catch (IOException e) {
      // The process is going away anyway.
    }
    process.destroy();
  }
}
