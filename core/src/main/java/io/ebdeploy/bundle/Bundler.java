package io.ebdeploy.bundle;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the source bundle: selects the files (see {@link Selection} and docs/bundle.md), writes
 * the version file into it, and zips everything reproducibly. Never touches AWS.
 *
 * <p>Reproducible: entries sorted by name, no directory entries, modes normalised to 644/755
 * (symlinks 777), every timestamp the commit time, and no extra fields; so the same files and
 * version give the same bytes whatever the checkout's mtimes or umask. The commit time rather than
 * a fixed 1980 date because tools on the instance compare mtimes: Django's {@code collectstatic}
 * skips a file whose stored copy is newer than the source, so constant old mtimes would leave
 * changed static files unpublished.
 *
 * <p>Parallel and still reproducible: every core deflates entries ({@link Compressor}, one per
 * thread, each file read once for its CRC, its deflate stream and the secret search), a window
 * ahead of one writer that takes the results in name order ({@link ZipWriter}); an entry's bytes
 * depend only on its content, so the zip is the same for any number of threads. Our own writer
 * rather than commons-compress' {@code ParallelScatterZipCreator}, whose output groups entries by
 * the thread that compressed them (an order that changes from run to run) and which goes through
 * temporary files; ours also writes each entry's sizes in its local header, so no entry needs a
 * data descriptor, which Java's {@code ZipInputStream} refuses on stored entries.
 */
public final class Bundler {
  /** Elastic Beanstalk's limit on a source bundle: 500 MB. */
  public static final long MAX_BUNDLE_BYTES = 500L * 1024 * 1024;

  /** Already-compressed formats: deflating them again costs time and saves nothing. */
  private static final Set<String> STORED =
      Set.of(
          "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2", "gz", "tgz", "bz2",
          "xz", "zst", "br", "zip", "jar", "war", "whl", "7z", "rar", "mp3", "mp4", "m4a", "mov",
          "webm", "ogg", "pbf", "mbtiles");

  /** DOS time cannot go earlier; also the time used when there is no commit. */
  private static final LocalDateTime DOS_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

  /** Nor later. */
  private static final LocalDateTime DOS_END = LocalDateTime.of(2107, 12, 31, 23, 59, 58);

  /**
   * zlib level 5: on source-like text it compresses about as well as Info-ZIP's default -6 (its own
   * deflate) in less time than zlib's 6 (bench/README.md).
   */
  static final int LEVEL = 4;

  /**
   * How far ahead of the writer the workers may compress, in bytes of input: enough to keep every
   * core busy with small files, small enough to bound the memory whatever the project's size.
   */
  private static final long WINDOW = 16 << 20;

  /**
   * A batch's input, in bytes: big enough that handing it to a thread costs nothing next to
   * compressing it, small enough that many are in flight.
   */
  private static final int BATCH = 256 << 10;

  private Bundler() {}

  /**
   * Lists what {@link #create} would put in the bundle, running the same checks (escaping symlinks,
   * secrets, nothing to bundle) without writing anything.
   */
  public static BundlePlan plan(Path projectDir, DeployConfig config) {
    TreeMap<String, Entry> entries = select(projectDir, config);
    Selection.check(projectDir, entries, config.bundle(), true);
    entries.remove(config.versionFile().path());
    long size = entries.values().stream().mapToLong(Entry::size).sum();
    List<String> names = new ArrayList<>(entries.keySet());
    names.add(config.versionFile().path()); // written last, as create does
    return new BundlePlan(names, size, projectDir, entries);
  }

  /**
   * Writes the bundle of the project to {@code zipOut} (replaced if it exists; written under a
   * temporary name first, so a failure leaves no partial zip).
   *
   * @param version the label and commit written into the version file; its commit time dates the
   *     entries
   * @param deployedAt written into the version file (ISO-8601 UTC)
   * @param deployedBy written into the version file; see {@link #deployedBy(Map)}
   * @throws EbDeployException INVALID_INPUT for escaping symlinks, secrets, an empty selection, or
   *     a zip over {@link #MAX_BUNDLE_BYTES}; each message names the paths or sizes
   */
  public static Bundle create(
      Path projectDir,
      DeployConfig config,
      SourceVersion version,
      Instant deployedAt,
      String deployedBy,
      Path zipOut) {
    return create(projectDir, config, version, deployedAt, deployedBy, zipOut, MAX_BUNDLE_BYTES);
  }

  /** {@link #create} with the size limit injectable, so tests need not write 500 MB. */
  static Bundle create(
      Path projectDir,
      DeployConfig config,
      SourceVersion version,
      Instant deployedAt,
      String deployedBy,
      Path zipOut,
      long maxBytes) {
    return create(
        projectDir,
        config,
        version,
        deployedAt,
        deployedBy,
        zipOut,
        maxBytes,
        Runtime.getRuntime().availableProcessors());
  }

  /** {@link #create} with the number of compressing threads chosen: the bytes do not change. */
  static Bundle create(
      Path projectDir,
      DeployConfig config,
      SourceVersion version,
      Instant deployedAt,
      String deployedBy,
      Path zipOut,
      long maxBytes,
      int threads) {
    TreeMap<String, Entry> entries = select(projectDir, config);
    try {
      Selection.check(projectDir, entries, config.bundle(), false);
    } catch (EbDeployException e) {
      // Refused already: search the content too, so that one error names every secret.
      Selection.check(projectDir, entries, config.bundle(), true);
      throw e;
    }
    refuseHugeFiles(entries.values());
    IgnoreRules allowed = IgnoreRules.parse(config.bundle().allowSecrets(), "bundle.allow-secrets");
    String versionPath = config.versionFile().path();
    Entry versionEntry =
        Entry.generated(
            versionPath,
            VersionFile.render(config.versionFile().format(), version, deployedAt, deployedBy));
    // The version file goes last: the digest of everything before it identifies the source
    // content, which deployed-at and deployed-by must not change (a re-run of the same commit by
    // someone else reuses the application version).
    entries.remove(versionPath); // a committed placeholder is replaced
    List<Entry> ordered = new ArrayList<>(entries.values());
    ordered.add(versionEntry);
    entries.put(versionPath, versionEntry);
    long dosTime = dosTime(version.commitTime().orElse(null));
    Path zipDir = zipOut.toAbsolutePath().getParent();
    Path temp = zipOut.resolveSibling(zipOut.getFileName() + ".partial");
    List<String> secrets = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<Compressor> compressors = Collections.synchronizedList(new ArrayList<>());
    ThreadLocal<Compressor> compressor =
        ThreadLocal.withInitial(
            () -> {
              Compressor c =
                  new Compressor(
                      projectDir,
                      LEVEL,
                      dosTime,
                      zipDir,
                      zipOut.getFileName() + ".spill-",
                      allowed);
              compressors.add(c);
              return c;
            });
    // Batch buffers go back to the workers once written: the memory stays bounded and warm.
    Queue<byte[]> buffers = new ConcurrentLinkedQueue<>();
    ExecutorService pool = pool(threads);
    try {
      Files.createDirectories(zipDir);
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      String contentSha256 = null;
      long size;
      try (CountingOutputStream counting =
          new CountingOutputStream(
              new DigestOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), sha256))) {
        ZipWriter zip = new ZipWriter(counting, dosTime);
        byte[] copyBuffer = new byte[1 << 16];
        // Batches are compressed ahead, in order, up to WINDOW bytes of input, and written in
        // order as they come: the bytes do not depend on which thread finished first.
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
          if (current.get(0) == versionEntry) {
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
            throw tooBig(counting.count, maxBytes, filesWritten, entries);
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
        throw tooBig(size, maxBytes, entries.size(), entries);
      }
      Files.move(temp, zipOut, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Bundle(
          zipOut,
          HexFormat.of().formatHex(sha256.digest()),
          contentSha256,
          size,
          ordered.stream().map(Entry::name).toList());
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
   * Whether {@link #create} stores the file as it is rather than deflating it: formats that are
   * compressed already (png, jpg, woff2, gz, zip...). Such files take their full size in the zip.
   */
  public static boolean storedAsIs(String name) {
    return STORED.contains(extension(name));
  }

  /**
   * Who deploys, for the version file: the CI's actor when a known CI says so ({@code
   * GITHUB_ACTOR}, {@code GITLAB_USER_LOGIN}, {@code CIRCLE_USERNAME}, {@code
   * BUILDKITE_BUILD_CREATOR}, {@code BITBUCKET_STEP_TRIGGERER_UUID}), else {@code USER} or {@code
   * USERNAME}, else {@code unknown}.
   */
  public static String deployedBy(Map<String, String> env) {
    for (String name :
        List.of(
            "GITHUB_ACTOR",
            "GITLAB_USER_LOGIN",
            "CIRCLE_USERNAME",
            "BUILDKITE_BUILD_CREATOR",
            "BITBUCKET_STEP_TRIGGERER_UUID",
            "USER",
            "USERNAME")) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return "unknown";
  }

  private static TreeMap<String, Entry> select(Path projectDir, DeployConfig config) {
    TreeMap<String, Entry> entries = Selection.select(projectDir, config.bundle());
    if (entries.isEmpty()) {
      throw EbDeployException.invalidInput(
          "nothing to bundle in "
              + Printable.of(projectDir.toString())
              + ": git tracks no file there (or .ebignore / bundle.exclude leave none out of "
              + (config.bundle().staged() ? "the index" : "the tracked files")
              + "); commit the application, or list its files under bundle.include");
    }
    String versionPath = config.versionFile().path();
    String under = versionPath + "/";
    if (entries.keySet().stream().anyMatch(name -> name.startsWith(under))) {
      throw EbDeployException.invalidInput(
          "version-file.path '"
              + versionPath
              + "' is a directory in the bundle; choose a file name such as VERSION.json");
    }
    return entries;
  }

  /**
   * The entries cut into runs of about {@link #BATCH} bytes of input, a unit of work for one
   * thread; a file too big to compress in memory, and the version file (the content hash is taken
   * just before it), each make a run of their own.
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

  /**
   * A file of 4 GiB or more needs Zip64 fields in its entry, which not every unzip reads; it is
   * also eight times Beanstalk's limit on the whole bundle. Refused before anything is read.
   */
  private static void refuseHugeFiles(Collection<Entry> entries) {
    List<String> huge =
        entries.stream()
            .filter(e -> e.size() >= ZipWriter.MAX_32)
            .map(e -> Printable.of(e.name()) + " (" + megabytes(e.size()) + ")")
            .toList();
    if (!huge.isEmpty()) {
      throw EbDeployException.invalidInput(
          "files of 4 GiB or more cannot be bundled (Elastic Beanstalk takes bundles up to "
              + megabytes(MAX_BUNDLE_BYTES)
              + "): "
              + String.join(", ", huge)
              + ". Leave them out with .ebignore or bundle.exclude, and fetch them on the instance"
              + " instead.");
    }
  }

  private static EbDeployException tooBig(
      long size, long maxBytes, int written, Map<String, Entry> entries) {
    List<Entry> biggest =
        entries.values().stream()
            .sorted(Comparator.comparingLong(Entry::size).reversed())
            .limit(5)
            .toList();
    StringBuilder b = new StringBuilder();
    for (Entry e : biggest) {
      b.append(b.length() == 0 ? "" : ", ")
          .append(Printable.of(e.name()))
          .append(" (")
          .append(megabytes(e.size()))
          .append(')');
    }
    String reached =
        written < entries.size()
            ? "passed " + megabytes(size) + " after " + written + " of " + entries.size() + " files"
            : "is " + megabytes(size) + " (" + String.format(Locale.ROOT, "%,d", size) + " bytes)";
    return EbDeployException.invalidInput(
        "the bundle "
            + reached
            + ", over Elastic Beanstalk's limit of "
            + megabytes(maxBytes)
            + ". Biggest files: "
            + b
            + ". Leave out what the application does not need at run time with .ebignore or"
            + " bundle.exclude.");
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    int slash = name.lastIndexOf('/');
    return dot > slash + 1 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  /**
   * The DOS date and time fields (date in the high 16 bits) of the commit's UTC wall clock, to the
   * even second below: the bytes must not depend on the time zone of the machine that bundles.
   */
  static long dosTime(Instant commitTime) {
    LocalDateTime utc =
        commitTime == null ? DOS_EPOCH : LocalDateTime.ofInstant(commitTime, ZoneOffset.UTC);
    if (utc.isBefore(DOS_EPOCH)) {
      utc = DOS_EPOCH;
    } else if (utc.isAfter(DOS_END)) {
      utc = DOS_END;
    }
    int date = (utc.getYear() - 1980) << 9 | utc.getMonthValue() << 5 | utc.getDayOfMonth();
    int time = utc.getHour() << 11 | utc.getMinute() << 5 | utc.getSecond() / 2;
    return (long) date << 16 | time;
  }

  /** Counts what reaches the file, for the size limit and the result. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
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
