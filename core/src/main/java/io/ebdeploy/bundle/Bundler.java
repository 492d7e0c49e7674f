package io.ebdeploy.bundle;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.FileHeader;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.CompressionLevel;
import net.lingala.zip4j.model.enums.CompressionMethod;

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
 * <p>zip4j, single-threaded, level 6: on the 20,000-file benchmark it takes about two thirds of
 * Info-ZIP's time (bench/README.md), so the parallel commons-compress route was not needed.
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

  /** One buffer per thread for sniffed files: no garbage per file, so the heap stays small. */
  private static final ThreadLocal<byte[]> sniffBuffer =
      ThreadLocal.withInitial(() -> new byte[Secrets.SNIFF_LIMIT]);

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
    TreeMap<String, Entry> entries = select(projectDir, config);
    try {
      Selection.check(projectDir, entries, config.bundle(), false);
    } catch (EbDeployException e) {
      // Refused already: search the content too, so that one error names every secret.
      Selection.check(projectDir, entries, config.bundle(), true);
      throw e;
    }
    IgnoreRules allowed = IgnoreRules.parse(config.bundle().allowSecrets(), "bundle.allow-secrets");
    List<String> secrets = new ArrayList<>();
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
    Path temp = zipOut.resolveSibling(zipOut.getFileName() + ".partial");
    try {
      Files.createDirectories(zipOut.toAbsolutePath().getParent());
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      String contentSha256 = null;
      long size;
      try (CountingOutputStream counting =
              new CountingOutputStream(
                  new DigestOutputStream(
                      new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), sha256));
          ContentSource content = new ContentSource(projectDir)) {
        try (ZipOutputStream zip = new ZipOutputStream(counting)) {
          int written = 0;
          byte[] buffer = new byte[1 << 16];
          for (Entry entry : ordered) {
            if (entry == versionEntry) {
              counting.flush();
              contentSha256 = HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
            }
            boolean sniff = Selection.needsSniffing(entry) && !allowed.matches(entry.name(), false);
            if (writeEntry(zip, entry, dosTime, content, buffer, sniff)) {
              secrets.add(entry.name() + " (holds a private key)");
            }
            written++;
            if (counting.count > maxBytes) {
              throw tooBig(counting.count, maxBytes, written, entries);
            }
          }
        }
        size = counting.count;
      }
      if (!secrets.isEmpty()) {
        throw Selection.secretsFound(secrets);
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
   * Who deploys, for the version file and the lock: {@link Attribution#startedBy} (the CI's actor,
   * else git's user.email, else {@code USER}).
   */
  public static String deployedBy(Map<String, String> env) {
    return Attribution.startedBy(env, Optional.empty());
  }

  private static TreeMap<String, Entry> select(Path projectDir, DeployConfig config) {
    TreeMap<String, Entry> entries = Selection.select(projectDir, config.bundle());
    if (entries.isEmpty()) {
      throw EbDeployException.invalidInput(
          "nothing to bundle in "
              + projectDir
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
   * Writes one entry; with {@code sniff}, the (small) content is read whole and searched for a
   * private key first. Returns whether it holds one.
   */
  private static boolean writeEntry(
      ZipOutputStream zip,
      Entry entry,
      long dosTime,
      ContentSource content,
      byte[] buffer,
      boolean sniff)
      throws IOException {
    ZipParameters parameters = new ZipParameters();
    parameters.setFileNameInZip(entry.name());
    parameters.setLastModifiedFileTime(dosTime);
    parameters.setUnixMode(true);
    if (entry.isSymlink() || STORED.contains(extension(entry.name()))) {
      parameters.setCompressionMethod(CompressionMethod.STORE);
      parameters.setEntrySize(entry.size());
    } else {
      parameters.setCompressionMethod(CompressionMethod.DEFLATE);
      // zlib level 5: on source-like text it compresses about as well as Info-ZIP's default -6
      // (its own deflate) in less time than zlib's 6 (bench/README.md).
      parameters.setCompressionLevel(CompressionLevel.NORMAL);
    }
    zip.putNextEntry(parameters);
    long copied = 0;
    boolean secret = false;
    try (InputStream in = content.open(entry)) {
      if (sniff) {
        // Small (<= Secrets.SNIFF_LIMIT): read whole into a reused buffer, search, then zip.
        byte[] whole = sniffBuffer.get();
        copied = in.readNBytes(whole, 0, whole.length);
        secret = Secrets.holdsPrivateKey(whole, (int) copied);
        zip.write(whole, 0, (int) copied);
        copied += in.transferTo(OutputStream.nullOutputStream()); // grew: caught below
      } else {
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
          zip.write(buffer, 0, n);
          copied += n;
        }
      }
    }
    if (copied != entry.size()) {
      throw EbDeployException.invalidInput(
          entry.name()
              + " changed while it was being bundled ("
              + entry.size()
              + " bytes, then "
              + copied
              + "); stop whatever writes to it and deploy again");
    }
    FileHeader header = zip.closeEntry();
    // The Unix mode goes in the high 16 bits of the external attributes (zip "made by" Unix):
    // without it, unzip on the instance drops the executable bit of .platform hooks.
    header.setExternalFileAttributes(intBytes(entry.mode() << 16));
    return secret;
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
          .append(e.name())
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
   * The epoch millis that zip4j turns into the DOS date/time fields equal to the commit's UTC wall
   * clock. zip4j converts with the JVM's default time zone, so the zone is undone here: the bytes
   * must not depend on where the bundle was built.
   */
  static long dosTime(Instant commitTime) {
    LocalDateTime utc =
        commitTime == null ? DOS_EPOCH : LocalDateTime.ofInstant(commitTime, ZoneOffset.UTC);
    if (utc.isBefore(DOS_EPOCH)) {
      utc = DOS_EPOCH;
    }
    return utc.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  }

  private static byte[] intBytes(int value) {
    return new byte[] {
      (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
    };
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
