package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the selected entries as the bundle zip, on every core and still reproducibly: the entries
 * are cut into runs ({@link #batches}), each run is compressed by one thread ({@link Compressor},
 * one per thread) at most {@link #WINDOW} bytes ahead of the writer, and the writer takes the runs
 * in order, hashes them and records the central directory ({@link ZipWriter}). The bytes of a run
 * depend only on its entries' content, so the zip is the same whatever the number of threads and
 * whichever finished first.
 *
 * <p>Our own rather than commons-compress' {@code ParallelScatterZipCreator}: that one writes the
 * entries grouped by the thread that compressed them (an order that changes from run to run), only
 * after all of them are compressed, through temporary files.
 *
 * <p>Nothing is left behind: the zip is written under a temporary name and moved into place at the
 * end; on any failure (refused content, the size limit, an interrupt) the temporary zip and every
 * spill file are removed and the threads stopped before the exception leaves.
 */
final class BundleWriter {
  /**
   * How far ahead of the writer the workers may compress, in bytes of input: enough to keep every
   * core busy with small files, small enough to bound the memory whatever the project's size.
   */
  private static final long WINDOW = 16 << 20;

  /**
   * A run's input, in bytes: big enough that handing it to a thread costs nothing next to
   * compressing it, small enough that many are in flight.
   */
  private static final int BATCH = 256 << 10;

  private final Path projectDir;
  private final long dosTime;
  private final IgnoreRules allowedSecrets;
  private final int threads;

  BundleWriter(Path projectDir, long dosTime, IgnoreRules allowedSecrets, int threads) {
    this.projectDir = projectDir;
    this.dosTime = dosTime;
    this.allowedSecrets = allowedSecrets;
    this.threads = threads;
  }

  /**
   * Writes {@code ordered} (the version file last) to {@code zipOut}.
   *
   * @param all every entry, to name the biggest when the zip passes {@code maxBytes}
   * @throws EbDeployException INVALID_INPUT for unreadable files, secrets found in the content, a
   *     zip over {@code maxBytes}, a file that changed while it was read
   */
  Bundle write(List<Entry> ordered, Path zipOut, long maxBytes, Collection<Entry> all) {
    Path zipDir = zipOut.toAbsolutePath().getParent();
    Path temp = zipOut.resolveSibling(zipOut.getFileName() + ".partial");
    List<Compressor> compressors = Collections.synchronizedList(new ArrayList<>());
    ThreadLocal<Compressor> compressor =
        ThreadLocal.withInitial(
            () -> {
              Compressor c =
                  new Compressor(
                      projectDir,
                      Bundler.LEVEL,
                      dosTime,
                      zipDir,
                      zipOut.getFileName() + ".spill-",
                      allowedSecrets);
              compressors.add(c);
              return c;
            });
    // Run buffers go back to the workers once written: the memory stays bounded and warm.
    Queue<byte[]> buffers = new ConcurrentLinkedQueue<>();
    ExecutorService pool = pool(threads);
    try {
      Files.createDirectories(zipDir);
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      String contentSha256 = null;
      List<String> secrets = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      long size;
      try (CountingOutputStream counting =
          new CountingOutputStream(
              new DigestOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), sha256))) {
        ZipWriter zip = new ZipWriter(counting, dosTime);
        byte[] copyBuffer = new byte[1 << 16];
        List<List<Entry>> batches = batches(ordered);
        Deque<Future<Batch>> window = new ArrayDeque<>();
        long ahead = 0;
        int next = 0;
        int filesWritten = 0;
        for (List<Entry> current : batches) {
          while (next < batches.size() && (window.isEmpty() || ahead < WINDOW)) {
            List<Entry> batch = batches.get(next++);
            ahead += inputSize(batch);
            byte[] buffer = Objects.requireNonNullElseGet(buffers.poll(), () -> new byte[BATCH]);
            window.add(pool.submit(() -> compressor.get().compress(batch, buffer)));
          }
          Batch batch = await(window.removeFirst());
          ahead -= inputSize(current);
          if (current.get(0) == ordered.get(ordered.size() - 1)) {
            // The version file, alone in the last run: what came before is the source content.
            counting.flush();
            contentSha256 = HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
          }
          secrets.addAll(batch.secrets());
          unreadable.addAll(batch.unreadable());
          for (Batch.Placed placed : batch.entries()) {
            zip.central(placed.header(), zip.offset() + placed.offset());
          }
          zip.write(batch.buffer(), 0, batch.length());
          buffers.add(batch.buffer());
          if (batch.spill() != null) {
            try (InputStream in = Files.newInputStream(batch.spill())) {
              for (int n = in.read(copyBuffer); n > 0; n = in.read(copyBuffer)) {
                zip.write(copyBuffer, 0, n);
              }
            }
            Files.delete(batch.spill());
          }
          filesWritten += batch.entries().size();
          if (counting.count > maxBytes) {
            throw Bundler.tooBig(counting.count, maxBytes, filesWritten, all);
          }
        }
        if (!unreadable.isEmpty()) {
          throw Selection.unreadable(unreadable);
        }
        if (!secrets.isEmpty()) {
          throw Selection.secretsFound(secrets);
        }
        zip.finish();
        size = counting.count;
      }
      if (size > maxBytes) {
        throw Bundler.tooBig(size, maxBytes, all.size(), all);
      }
      Files.move(temp, zipOut, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Bundle(
          zipOut,
          HexFormat.of().formatHex(sha256.digest()),
          contentSha256,
          size,
          ordered.stream().map(Entry::name).toList());
    } catch (ClosedByInterruptException e) {
      throw new EbDeployException(EbDeployException.Kind.INTERRUPTED, "bundling interrupted", e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the bundle " + zipOut + " failed", e);
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("every JVM has a cloneable SHA-256", e);
    } finally {
      stop(pool);
      compressors.forEach(Compressor::close);
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // Best effort: the temporary file is next to the requested one and named after it.
      }
    }
  }

  /**
   * The entries cut into runs of about {@link #BATCH} bytes of input, a unit of work for one
   * thread; a file too big to compress in memory, and the last entry (the version file: the content
   * hash is taken just before it), each make a run of their own.
   */
  static List<List<Entry>> batches(List<Entry> ordered) {
    List<List<Entry>> batches = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < ordered.size(); i++) {
      Entry entry = ordered.get(i);
      boolean alone = entry.size() > Compressor.IN_MEMORY || i == ordered.size() - 1;
      if (!current.isEmpty() && (alone || bytes + entry.size() > BATCH)) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(entry);
      bytes += entry.size();
      if (alone) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
    }
    return batches;
  }

  private static long inputSize(List<Entry> batch) {
    long size = 0;
    for (Entry e : batch) {
      size += e.size();
    }
    return Math.min(size, WINDOW);
  }

  /** Daemon threads, so that a pool left behind never keeps a JVM alive. */
  private static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "eb-deploy-bundle-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Stops the workers and waits for them: their spill files and readers are closed next. */
  private static void stop(ExecutorService pool) {
    pool.shutdownNow();
    boolean interrupted = Thread.interrupted();
    try {
      while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        // A worker blocked in a read ends with it; nothing else can hold it.
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Batch await(Future<Batch> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EbDeployException(EbDeployException.Kind.INTERRUPTED, "bundling interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Counts what reaches the file, for the size limit and the result. */
  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
