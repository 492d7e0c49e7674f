package io.ebdeploy.assets;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig.CacheRule;
import io.ebdeploy.api.DeployConfig.StaticAssets;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.assets.LocalScan.CacheRules;
import io.ebdeploy.assets.LocalScan.LocalFile;
import io.ebdeploy.assets.Remote.Listing;
import io.ebdeploy.assets.Remote.Manifests;
import io.ebdeploy.assets.Remote.RemoteObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Pushes a folder of static files to {@code s3://bucket/prefix/}: only what changed (by content),
 * in parallel, with the right headers; and, after a release succeeded, deletes what no recent
 * release references. See docs/assets.md.
 *
 * <pre>{@code
 * StaticSync sync = StaticSync.of(s3, projectDir, config.staticAssets().get(), "staging");
 * AssetsResult r = sync.sync(false);               // on its own: upload, never delete
 *
 * StaticSync.Plan plan = sync.plan();               // in a deploy: read-only, before any change
 * AssetsResult up = plan.upload(true);              // before any environment switches
 * // ... the environments deploy ...
 * AssetsResult done = plan.release("v1.4.0", up);   // only once the whole group succeeded
 * }</pre>
 *
 * <p>Not thread-safe; each operation runs its own pool of {@link Builder#concurrency} threads and
 * shuts it down before returning.
 */
public final class StaticSync {
  /** Requests in flight at once. */
  public static final int DEFAULT_CONCURRENCY = 16;

  /** Files above this size go in parts of this size (S3's minimum part is 5 MiB). */
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

  /** How long a pending manifest (a sync whose release has not come) protects its files. */
  static final Duration PENDING_TTL = Duration.ofHours(24);

  private static final int DELETE_BATCH = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(StaticSync.class);

  private final Supplier<S3Client> client;
  private S3Client s3;
  private final Path dir;
  private final String configuredDir;
  private final String bucket;
  private final Layout layout;
  private final CacheRules rules;
  private final boolean precompressed;
  private final boolean deleteAfterRelease;
  private final int keep;
  private final String scope;
  private final int concurrency;
  private final long partSize;
  private final int listPage;
  private final Duration fanOut;
  private final Clock clock;

  private StaticSync(Builder b) {
    client = Objects.requireNonNull(b.s3, "s3");
    dir = Objects.requireNonNull(b.dir, "dir").toAbsolutePath().normalize();
    configuredDir = b.configuredDir != null ? b.configuredDir : b.dir.toString();
    bucket = Objects.requireNonNull(b.bucket, "bucket");
    layout = new Layout(b.prefix);
    rules = CacheRules.of(b.cache);
    precompressed = b.precompressed;
    deleteAfterRelease = b.deleteAfterRelease;
    keep = b.keepReleases;
    scope = Objects.requireNonNull(b.scope, "scope");
    concurrency = b.concurrency;
    partSize = b.partSize;
    listPage = b.listPage;
    fanOut = b.fanOut;
    clock = b.clock;
  }

  public static Builder builder(S3Client s3) {
    Objects.requireNonNull(s3, "s3");
    return new Builder(() -> s3);
  }

  /**
   * With a client built on first use: the folder is listed and hashing starts while it is built
   * (building an S3 client costs about half a second).
   */
  public static Builder builder(Supplier<S3Client> s3) {
    return new Builder(s3);
  }

  private S3Client s3() {
    if (s3 == null) {
      s3 = Objects.requireNonNull(client.get(), "s3");
    }
    return s3;
  }

  /**
   * A sync as {@code eb-deploy.yml}'s {@code static:} section describes it.
   *
   * @param projectDir {@code static.dir} is relative to it
   * @param scope the deploy group: release manifests are kept per group
   */
  public static StaticSync of(S3Client s3, Path projectDir, StaticAssets config, String scope) {
    Objects.requireNonNull(s3, "s3");
    return of(() -> s3, projectDir, config, scope);
  }

  /** {@link #of(S3Client, Path, StaticAssets, String)} with a client built on first use. */
  public static StaticSync of(
      Supplier<S3Client> s3, Path projectDir, StaticAssets config, String scope) {
    return builder(s3)
        .dir(projectDir.resolve(config.dir()), config.dir())
        .bucket(config.bucket())
        .prefix(config.prefix())
        .cache(config.cache())
        .precompressed(config.precompressed())
        .deleteAfterRelease(!"never".equals(config.delete()))
        .keepReleases(config.keepReleases())
        .scope(scope)
        .build();
  }

  /** {@code static.prefix} normalised: {@code static}, {@code /static/} become {@code static/}. */
  public static String normalizePrefix(String prefix) {
    return Layout.normalizePrefix(prefix);
  }

  /**
   * On its own ({@code eb-deploy assets}): uploads what is new or changed and deletes nothing.
   *
   * @param dryRun only plan: no write at all
   */
  public AssetsResult sync(boolean dryRun) {
    // On its own nothing is deleted, so pending manifests (which only protect) are not read.
    Plan plan = plan(false);
    return dryRun ? plan.preview(Optional.empty()) : plan.upload(false);
  }

  /**
   * Compares the folder with the bucket, with no change anywhere: checks the folder, hashes every
   * file, HeadBucket, one listing of the prefix, the manifests that count.
   *
   * @throws EbDeployException INVALID_INPUT for a missing folder or an unknown or unreadable
   *     bucket; AWS_ERROR for other failures
   */
  public Plan plan() {
    return plan(true);
  }

  private Plan plan(boolean forRelease) {
    long start = System.nanoTime();
    List<LocalFile> listed = LocalScan.list(dir, configuredDir, layout, rules, precompressed);
    LOG.debug("{} files in {} listed in {} ms", listed.size(), dir, millis(start));
    ExecutorService pool = Parallel.pool(concurrency);
    // Hashing is CPU work: more threads than cores would only slow the listing down.
    ExecutorService hashers =
        Parallel.pool(Math.min(concurrency, Runtime.getRuntime().availableProcessors()));
    try {
      List<Future<LocalFile>> hashing = new ArrayList<>(listed.size());
      for (LocalFile f : listed) {
        hashing.add(hashers.submit(() -> LocalScan.hash(f)));
      }
      S3Client s3 = s3();
      LOG.debug("S3 client ready at {} ms", millis(start));
      Listing listing =
          Remote.list(
              s3,
              bucket,
              layout,
              listed.stream().map(f -> layout.key(f.rel())).toList(),
              concurrency,
              listPage,
              fanOut,
              pool);
      LOG.debug(
          "{} objects listed under s3://{}/{} at {} ms",
          listing.assets().size(),
          bucket,
          layout.prefix(),
          millis(start));
      Manifests manifests =
          Remote.readManifests(
              s3,
              bucket,
              listing.manifests(),
              keep,
              clock.instant(),
              PENDING_TTL,
              forRelease,
              pool);
      List<LocalFile> local = new ArrayList<>(listed.size());
      LOG.debug("{} manifests read at {} ms", manifests.byKey().size(), millis(start));
      for (Future<LocalFile> f : hashing) {
        local.add(Parallel.get(f));
      }
      LOG.debug("files hashed at {} ms", millis(start));
      Plan plan = compare(local, listing, manifests, pool, start);
      LOG.debug("compared at {} ms", millis(start));
      return plan;
    } finally {
      pool.shutdownNow();
      hashers.shutdownNow();
    }
  }

  private Plan compare(
      List<LocalFile> local,
      Listing listing,
      Manifests manifests,
      ExecutorService pool,
      long start) {
    Map<String, List<Manifest.Entry>> index = manifests.releasedEntries();
    List<LocalFile> added = new ArrayList<>();
    List<LocalFile> changed = new ArrayList<>();
    List<LocalFile> headers = new ArrayList<>();
    List<LocalFile> skipped = new ArrayList<>();
    Map<LocalFile, Future<String>> heads = new HashMap<>();
    List<LocalFile> unknown = new ArrayList<>();
    for (LocalFile f : local) {
      RemoteObject r = listing.assets().get(f.rel());
      if (r == null) {
        added.add(f);
        continue;
      }
      Manifest.Entry known = known(index.get(f.rel()), r.etag());
      String remoteMd5 = known != null ? known.md5() : r.etagIsMd5() ? r.etag() : null;
      if (remoteMd5 == null) {
        // A multipart object (ETag "...-N") no release recorded: its MD5 is in our metadata.
        unknown.add(f);
        heads.put(f, pool.submit(() -> Remote.metaMd5(s3, bucket, r.key())));
        continue;
      }
      classify(f, r, remoteMd5, known, changed, headers, skipped);
    }
    for (LocalFile f : unknown) {
      String md5 = Parallel.get(heads.get(f));
      RemoteObject r = listing.assets().get(f.rel());
      if (md5 == null) {
        changed.add(f);
      } else {
        classify(f, r, md5, null, changed, headers, skipped);
      }
    }
    return new Plan(
        local,
        listing,
        manifests,
        added,
        changed,
        headers,
        skipped,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static Manifest.Entry known(List<Manifest.Entry> entries, String etag) {
    if (entries != null) {
      for (Manifest.Entry e : entries) {
        if (e.etagOrMd5().equals(etag)) {
          return e;
        }
      }
    }
    return null;
  }

  private static void classify(
      LocalFile f,
      RemoteObject r,
      String remoteMd5,
      Manifest.Entry known,
      List<LocalFile> changed,
      List<LocalFile> headers,
      List<LocalFile> skipped) {
    if (!remoteMd5.equalsIgnoreCase(f.md5()) || r.size() != f.size()) {
      changed.add(f);
    } else if (known != null
        && !known.sameHeaders(f.contentType(), f.cacheControl(), f.contentEncoding())) {
      headers.add(f);
    } else {
      skipped.add(f);
    }
  }

  /** The comparison of the folder with the bucket, and the writes it leads to. */
  public final class Plan {
    private final List<LocalFile> local;
    private final Listing listing;
    private final Manifests manifests;
    private final List<LocalFile> added;
    private final List<LocalFile> changed;
    private final List<LocalFile> headers;
    private final List<LocalFile> skipped;
    private final Duration planTook;
    private final String run;
    private Uploader uploader;
    private String pendingKey;

    private Plan(
        List<LocalFile> local,
        Listing listing,
        Manifests manifests,
        List<LocalFile> added,
        List<LocalFile> changed,
        List<LocalFile> headers,
        List<LocalFile> skipped,
        Duration planTook) {
      this.local = List.copyOf(local);
      this.listing = listing;
      this.manifests = manifests;
      this.added = List.copyOf(added);
      this.changed = List.copyOf(changed);
      this.headers = List.copyOf(headers);
      this.skipped = List.copyOf(skipped);
      this.planTook = planTook;
      this.run =
          DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                  .withZone(ZoneOffset.UTC)
                  .format(clock.instant())
              + "-"
              + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /**
     * What {@link #upload} and, when {@code releaseLabel} is given, {@link #release} would do,
     * without doing it: the counts of a dry run and of {@code eb-deploy plan}.
     */
    public AssetsResult preview(Optional<String> releaseLabel) {
      Optional<String> manifest = releaseLabel.map(l -> layout.releaseKey(scope, l));
      int deleted = 0;
      long deletedBytes = 0;
      Optional<String> notDeleted;
      if (releaseLabel.isEmpty()) {
        notDeleted = Optional.of(onItsOwn());
      } else if (!deleteAfterRelease) {
        notDeleted = Optional.of("static.delete is never");
      } else {
        Prune.Stale stale =
            Prune.compute(
                listing.assets(), manifests, layout, scope, releaseLabel.get(), rels(), keep);
        deleted = stale.objects().size();
        deletedBytes = stale.bytes();
        notDeleted = stale.notDeleted();
      }
      return result(true, manifest, notDeleted, Duration.ZERO)
          .withPrune(deleted, deletedBytes, manifest, notDeleted, Duration.ZERO);
    }

    /**
     * Uploads new files first, then changed ones (so that old code meets overwritten files as late
     * as possible), then fixes headers. In a deploy ({@code deploy} true) it first writes a pending
     * manifest, which protects these files from a concurrent release's deletion and proves write
     * permission, and, unless {@code static.delete} is never, deletes a probe key that does not
     * exist, which proves delete permission: both before any environment is touched. On its own it
     * writes the pending manifest only when there is something to upload, so a no-op sync makes no
     * write at all.
     *
     * @throws EbDeployException INVALID_INPUT for a missing write permission (nothing written);
     *     AWS_ERROR naming the file; INTERRUPTED
     */
    public AssetsResult upload(boolean deploy) {
      if (uploader != null) {
        throw new IllegalStateException("this plan was uploaded already");
      }
      long start = System.nanoTime();
      boolean writes = !added.isEmpty() || !changed.isEmpty() || !headers.isEmpty();
      if (deploy || (deleteAfterRelease && writes)) {
        pendingKey = layout.pendingKey(scope, run);
        try {
          Remote.write(s3, bucket, pendingKey, manifest(Manifest.PENDING, null, new HashMap<>()));
        } catch (SdkException e) {
          throw S3Failures.denied(e)
              ? S3Failures.noWritePermission(bucket, layout.prefix(), "PutObject " + pendingKey, e)
              : S3Failures.awsError("PutObject s3://" + bucket + "/" + pendingKey, e);
        }
      }
      if (deploy && deleteAfterRelease) {
        String probe = layout.probeKey();
        try {
          s3.deleteObject(b -> b.bucket(bucket).key(probe));
        } catch (SdkException e) {
          throw S3Failures.denied(e)
              ? S3Failures.noWritePermission(bucket, layout.prefix(), "DeleteObject " + probe, e)
              : S3Failures.awsError("DeleteObject s3://" + bucket + "/" + probe, e);
        }
      }
      ExecutorService pool = Parallel.pool(concurrency);
      try {
        uploader = new Uploader(s3, bucket, layout, partSize, pool);
        uploader.upload(added);
        uploader.upload(changed);
        Map<String, String> etags = new HashMap<>();
        headers.forEach(f -> etags.put(f.rel(), listing.assets().get(f.rel()).etag()));
        uploader.updateHeaders(headers, etags);
      } finally {
        pool.shutdownNow();
      }
      Optional<String> notDeleted =
          Optional.of(deploy ? "the deploy has not succeeded yet" : onItsOwn());
      return result(
          false, Optional.empty(), notDeleted, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * After the whole group succeeded on {@code label}: records the release's manifest, then,
     * unless {@code static.delete} is never, deletes the objects no kept release references (see
     * docs/assets.md) in DeleteObjects batches of 1,000, this group's manifests beyond {@code
     * keep-releases}, and the pending manifests this sync wrote or that expired. Never call it for
     * a failed or rolled-back deploy.
     *
     * @param uploaded what {@link #upload} returned
     * @throws EbDeployException AWS_ERROR when a write or a deletion failed
     */
    public AssetsResult release(String label, AssetsResult uploaded) {
      if (uploader == null) {
        throw new IllegalStateException("release() needs upload() first");
      }
      long start = System.nanoTime();
      String releaseKey = layout.releaseKey(scope, label);
      Map<String, Manifest.Entry> entries = new HashMap<>();
      S3Failures.call(
          "PutObject s3://" + bucket + "/" + releaseKey,
          () -> {
            Remote.write(s3, bucket, releaseKey, manifest(Manifest.RELEASED, label, entries));
            return null;
          });
      Optional<String> manifest = Optional.of(releaseKey);
      if (!deleteAfterRelease) {
        deleteQuietly(pendingKey);
        return uploaded.withPrune(
            0, 0, manifest, Optional.of("static.delete is never"), since(start));
      }
      ExecutorService pool = Parallel.pool(concurrency);
      try {
        Listing now = Remote.list(s3, bucket, layout, keys(), concurrency, listPage, fanOut, pool);
        Instant instant = clock.instant();
        Manifests current =
            Remote.readManifests(
                s3, bucket, now.manifests(), keep, instant, PENDING_TTL, true, pool);
        Manifests others = withoutKey(current, pendingKey);
        Prune.Stale stale = Prune.compute(now.assets(), others, layout, scope, label, rels(), keep);
        List<String> keys = new ArrayList<>();
        stale.objects().forEach(o -> keys.add(o.key()));
        keys.addAll(stale.oldManifests());
        if (pendingKey != null) {
          keys.add(pendingKey);
        }
        now.manifests().stream()
            .filter(r -> !r.released() && r.lastModified().isBefore(instant.minus(PENDING_TTL)))
            .forEach(r -> keys.add(r.key()));
        delete(keys, pool);
        return uploaded.withPrune(
            stale.objects().size(), stale.bytes(), manifest, stale.notDeleted(), since(start));
      } finally {
        pool.shutdownNow();
      }
    }

    private Manifests withoutKey(Manifests m, String key) {
      if (key == null || !m.byKey().containsKey(key)) {
        return m;
      }
      Map<String, Manifest> byKey = new HashMap<>(m.byKey());
      byKey.remove(key);
      return new Manifests(byKey, m.releasedByScope(), m.errors());
    }

    private Manifest manifest(String state, String label, Map<String, Manifest.Entry> out) {
      Set<String> unchanged = skipped.stream().map(LocalFile::rel).collect(Collectors.toSet());
      for (LocalFile f : local) {
        String etag = uploader == null ? null : uploader.etags.get(f.rel());
        if (etag == null) {
          RemoteObject r = listing.assets().get(f.rel());
          etag = r != null && unchanged.contains(f.rel()) ? r.etag() : null;
        }
        out.put(
            f.rel(),
            new Manifest.Entry(
                f.md5(), f.size(), etag, f.contentType(), f.cacheControl(), f.contentEncoding()));
      }
      return new Manifest(state, scope, label, clock.instant(), out);
    }

    private List<String> keys() {
      return local.stream().map(f -> layout.key(f.rel())).toList();
    }

    private Set<String> rels() {
      return local.stream().map(LocalFile::rel).collect(Collectors.toSet());
    }

    private AssetsResult result(
        boolean dryRun, Optional<String> manifest, Optional<String> notDeleted, Duration took) {
      long uploadedBytes =
          dryRun || uploader == null
              ? added.stream().mapToLong(LocalFile::size).sum()
                  + changed.stream().mapToLong(LocalFile::size).sum()
              : uploader.bytes.get();
      return new AssetsResult(
          bucket,
          layout.prefix(),
          dryRun,
          local.size(),
          local.stream().mapToLong(LocalFile::size).sum(),
          added.size(),
          changed.size(),
          uploadedBytes,
          skipped.size(),
          headers.size(),
          0,
          0,
          manifest,
          notDeleted,
          planTook,
          took,
          Duration.ZERO);
    }

    /** The paths that would be uploaded, sorted: new ones, then changed ones. For tests. */
    List<String> uploads() {
      List<String> out = new ArrayList<>();
      added.forEach(f -> out.add(f.rel()));
      changed.forEach(f -> out.add(f.rel()));
      return out;
    }
  }

  private static String onItsOwn() {
    return "a sync on its own deletes nothing: stale files are deleted after a deploy succeeded";
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private void deleteQuietly(String key) {
    if (key == null) {
      return;
    }
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException ignored) {
      // housekeeping only: an expired pending manifest protects nothing
    }
  }

  /** DeleteObjects in batches of at most 1,000 keys, in parallel; any key refused is an error. */
  private void delete(List<String> keys, ExecutorService pool) {
    List<Future<DeleteObjectsResponse>> futures = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
      List<ObjectIdentifier> batch =
          keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH)).stream()
              .map(k -> ObjectIdentifier.builder().key(k).build())
              .toList();
      futures.add(
          pool.submit(
              () ->
                  S3Failures.call(
                      "DeleteObjects in s3://" + bucket + "/" + layout.prefix(),
                      () ->
                          s3.deleteObjects(
                              b ->
                                  b.bucket(bucket)
                                      .delete(
                                          Delete.builder().objects(batch).quiet(true).build())))));
    }
    List<S3Error> errors = new ArrayList<>();
    for (Future<DeleteObjectsResponse> f : futures) {
      errors.addAll(Parallel.get(f).errors());
    }
    if (!errors.isEmpty()) {
      S3Error e = errors.get(0);
      throw new EbDeployException(
          EbDeployException.Kind.AWS_ERROR,
          errors.size()
              + " stale object(s) in s3://"
              + bucket
              + "/"
              + layout.prefix()
              + " could not be deleted, e.g. "
              + e.key()
              + " ("
              + e.code()
              + ": "
              + e.message()
              + ")");
    }
  }

  /** Settings of a sync; every one but the client, folder, bucket and scope has a default. */
  public static final class Builder {
    private final Supplier<S3Client> s3;
    private Path dir;
    private String configuredDir;
    private String bucket;
    private String prefix = "static";
    private List<CacheRule> cache = List.of();
    private boolean precompressed;
    private boolean deleteAfterRelease = true;
    private int keepReleases = 3;
    private String scope;
    private int concurrency = DEFAULT_CONCURRENCY;
    private long partSize = DEFAULT_PART_SIZE;
    private int listPage = Remote.PAGE;
    private Duration fanOut = Remote.FAN_OUT;
    private Clock clock = Clock.systemUTC();

    private Builder(Supplier<S3Client> s3) {
      this.s3 = s3;
    }

    /** The folder to push. */
    public Builder dir(Path dir) {
      return dir(dir, null);
    }

    /** The folder, and how the configuration names it (for error messages). */
    public Builder dir(Path dir, String asConfigured) {
      this.dir = dir;
      this.configuredDir = asConfigured;
      return this;
    }

    public Builder bucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    /** The key prefix; {@code ""} for the bucket's root. Default {@code static}. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Cache-Control rules, first match wins; none means no Cache-Control header. */
    public Builder cache(List<CacheRule> cache) {
      this.cache = List.copyOf(cache);
      return this;
    }

    /** Serve {@code x.gz} / {@code x.br} next to {@code x} with Content-Encoding and x's type. */
    public Builder precompressed(boolean precompressed) {
      this.precompressed = precompressed;
      return this;
    }

    /** False for {@code static.delete: never}. */
    public Builder deleteAfterRelease(boolean deleteAfterRelease) {
      this.deleteAfterRelease = deleteAfterRelease;
      return this;
    }

    public Builder keepReleases(int keepReleases) {
      if (keepReleases < 1) {
        throw new IllegalArgumentException("keepReleases must be at least 1");
      }
      this.keepReleases = keepReleases;
      return this;
    }

    /** The deploy group; manifests are kept per scope. */
    public Builder scope(String scope) {
      this.scope = scope;
      return this;
    }

    /** Requests in flight at once (and hashing threads). Default 16. */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1");
      }
      this.concurrency = concurrency;
      return this;
    }

    /** Multipart threshold and part size, at least 5 MiB. Default 8 MiB. */
    public Builder partSize(long partSize) {
      if (partSize < 5L * 1024 * 1024) {
        throw new IllegalArgumentException("partSize must be at least 5 MiB (S3's minimum part)");
      }
      this.partSize = partSize;
      return this;
    }

    /** Keys per ListObjectsV2 page (and per parallel listing range); tests use small pages. */
    Builder listPage(int listPage) {
      this.listPage = listPage;
      return this;
    }

    /** The service time of a listing page above which the rest is listed in parallel ranges. */
    Builder listFanOut(Duration fanOut) {
      this.fanOut = fanOut;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public StaticSync build() {
      return new StaticSync(this);
    }
  }
}
