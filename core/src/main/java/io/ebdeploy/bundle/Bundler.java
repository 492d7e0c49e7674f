package io.ebdeploy.bundle;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
 * <p>Compressed on every core and still reproducible ({@link BundleWriter}); every entry's sizes
 * are in its local header, so no entry needs a data descriptor, which Java's {@code ZipInputStream}
 * refuses on stored entries ({@link ZipWriter}).
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
   * zlib level 4: on source-like text it takes about a quarter less CPU than level 5 for a zip 2 %
   * bigger, 1.4 % bigger than Info-ZIP's default -6 (docs/bundle.md, bench/README.md).
   */
  static final int LEVEL = 4;

  /**
   * At most this many threads compress: a 500 MB bundle then takes about a second, and each thread
   * holds up to two file-sized buffers (files up to 8 MiB are compressed in memory).
   */
  private static final int MAX_THREADS = 8;

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
   * @throws EbDeployException INVALID_INPUT for escaping symlinks, secrets, unreadable files, an
   *     empty selection, a file of 4 GiB or more, a file that changed while it was read, or a zip
   *     over {@link #MAX_BUNDLE_BYTES}; each message names the paths or sizes
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
        Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS));
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
    return new BundleWriter(
            projectDir, dosTime(version.commitTime().orElse(null)), allowed, threads)
        .write(ordered, zipOut, maxBytes, entries.values());
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

  static EbDeployException tooBig(
      long size, long maxBytes, int written, Collection<Entry> entries) {
    List<Entry> biggest =
        entries.stream().sorted(Comparator.comparingLong(Entry::size).reversed()).limit(5).toList();
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
}
