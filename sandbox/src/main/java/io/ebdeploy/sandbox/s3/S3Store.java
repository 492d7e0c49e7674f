package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.Json;
import io.ebdeploy.sandbox.service.SandboxContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The sandbox's buckets and objects, as the other APIs see them (Elastic Beanstalk reads bundles
 * and creates its storage bucket; Tagging lists bucket tags) and as {@link S3Api} serves them.
 *
 * <p>Thread-safe, with fine-grained locking: object bodies are hashed and written before any lock
 * is taken; a write then commits under a lock striped by bucket and key (which makes conditional
 * writes atomic), and under the read side of its bucket's lock (whose write side only DeleteBucket
 * takes).
 *
 * <p>With a state directory, everything persists under {@code <stateDir>/s3/}:
 *
 * <pre>
 * buckets/NAME/bucket.json              name, region, creation date, tags
 * buckets/NAME/meta/XX/SHA256(key).json one object's metadata, naming its data file
 * buckets/NAME/data/XX/UUID             one object's bytes (a new file for each write)
 * uploads/UPLOAD-ID/upload.json         an in-progress multipart upload
 * uploads/UPLOAD-ID/N.json, N-UUID      its part N
 * </pre>
 *
 * Metadata files are replaced atomically (write, then rename); data files no metadata names are
 * leftovers of a crash and are removed at start-up.
 */
public final class S3Store {
  private static final Logger LOG = Logger.getLogger(S3Store.class.getName());
  private static final int STRIPES = 256;

  private final Path root;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Object[] stripes = new Object[STRIPES];

  S3Store(SandboxContext context) {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    root = context.stateDir() == null ? null : context.stateDir().resolve("s3");
    if (root != null) {
      try {
        Files.createDirectories(root);
        load();
      } catch (IOException e) {
        throw new UncheckedIOException("could not load the S3 state in " + root, e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // For the other emulated services (Elastic Beanstalk, Tagging) and for test fixtures: the only
  // public methods.

  /** Creates the bucket if it does not exist yet. */
  public void ensureBucket(String name, String region) {
    createBucket(name, region);
  }

  public boolean bucketExists(String name) {
    return buckets.containsKey(name);
  }

  /** The object's bytes, or empty when the bucket or key does not exist. */
  public Optional<byte[]> read(String bucket, String key) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return Optional.empty();
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      S3Object o = b.objects.get(key);
      if (o == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(o.blob().readAll());
      } catch (S3Blob.Gone e) {
        // Overwritten while reading: read the new version.
      }
    }
    return Optional.empty();
  }

  /**
   * Stores an object as a plain PutObject would (ETag the MD5, CRC64NVME checksum), creating
   * nothing else: the bucket must exist. For tests and for services that write objects.
   *
   * @return the quoted ETag
   */
  public String write(String bucket, String key, byte[] data, String contentType) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      throw new IllegalArgumentException("no bucket named " + bucket);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType == null ? "binary/octet-stream" : contentType);
    S3Object o =
        new S3Object(
            key,
            newBlob(b, data),
            "\"" + S3Checksum.hex(S3Checksum.md5(data)) + "\"",
            now(),
            new S3Object.Attrs(headers, Map.of(), "STANDARD", "AES256", Map.of()),
            S3Checksum.CRC64NVME,
            S3Checksum.CRC64NVME.base64(data),
            S3Checksum.FULL_OBJECT,
            List.of());
    put(b, o, null, false);
    return o.etag();
  }

  /**
   * Deletes an object; nothing happens when the bucket or object does not exist (Elastic
   * Beanstalk's DeleteApplicationVersion with DeleteSourceBundle=true).
   */
  public void deleteObject(String bucket, String key) {
    Bucket b = buckets.get(bucket);
    if (b != null && !b.deleted) {
      delete(b, key);
    }
  }

  /** Replaces a bucket's tags; the bucket must exist. */
  public void setBucketTags(String bucket, Map<String, String> tags) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      throw new IllegalArgumentException("no bucket named " + bucket);
    }
    setTags(b, tags);
  }

  /** Every bucket's name mapped to its tags (empty when it has none). */
  public Map<String, Map<String, String>> bucketTags() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    buckets.forEach((name, b) -> out.put(name, b.tags));
    return out;
  }

  /** The region a bucket was created in, or null when there is no such bucket. */
  public String bucketRegion(String name) {
    Bucket b = buckets.get(name);
    return b == null ? null : b.region;
  }

  // ---------------------------------------------------------------------------------------------
  // Buckets.

  static final class Bucket {
    final String name;
    final String region;
    final Instant created;
    final Path dir;
    final ConcurrentSkipListMap<String, S3Object> objects =
        new ConcurrentSkipListMap<>(S3Wire.KEY_ORDER);
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    volatile Map<String, String> tags = Map.of();
    volatile boolean deleted;

    Bucket(String name, String region, Instant created, Path dir) {
      this.name = name;
      this.region = region;
      this.created = created;
      this.dir = dir;
    }
  }

  Bucket bucket(String name) {
    return buckets.get(name);
  }

  /** Every bucket, by name. */
  List<Bucket> buckets() {
    List<Bucket> out = new ArrayList<>(buckets.values());
    out.sort(Comparator.comparing(b -> b.name));
    return out;
  }

  /** Creates a bucket; null when one with this name exists already. */
  Bucket createBucket(String name, String region) {
    Bucket b =
        new Bucket(
            name, region, now(), root == null ? null : root.resolve("buckets").resolve(name));
    if (buckets.putIfAbsent(name, b) != null) {
      return null;
    }
    if (root != null) {
      synchronized (b) {
        writeBucket(b);
      }
    }
    return b;
  }

  /** Deletes an empty bucket; BucketNotEmpty otherwise. Its in-progress uploads go with it. */
  void deleteBucket(Bucket b) {
    List<Upload> pending;
    b.lock.writeLock().lock();
    try {
      if (b.deleted) {
        throw S3Errors.noSuchBucket(b.name);
      }
      if (!b.objects.isEmpty()) {
        throw S3Errors.error(
            409,
            "BucketNotEmpty",
            "The bucket you tried to delete is not empty",
            "BucketName",
            b.name);
      }
      b.deleted = true;
      pending = uploads(b.name);
      if (b.dir != null) {
        // Before the name is free again: a bucket re-created with it reuses the directory.
        deleteTree(b.dir);
      }
      buckets.remove(b.name, b);
    } finally {
      b.lock.writeLock().unlock();
    }
    // Outside the bucket lock: a completing upload holds its own monitor, then takes the bucket's.
    for (Upload u : pending) {
      abort(u);
    }
  }

  void setTags(Bucket b, Map<String, String> tags) {
    synchronized (b) {
      b.tags = Map.copyOf(tags);
      if (root != null && !b.deleted) {
        writeBucket(b);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Objects.

  /** Keeps the bytes of a new object or part: in memory, or in a new file of the bucket. */
  S3Blob newBlob(Bucket b, byte[] data) {
    if (root == null) {
      return new S3Blob.Memory(data);
    }
    Path file = newDataFile(b);
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3Blob.File(file, data.length);
  }

  S3Object get(Bucket b, String key) {
    return b.objects.get(key);
  }

  /**
   * Fails as a conditional write would, without writing: lets a request that cannot succeed stop
   * before its body is stored. {@link #put} checks again, atomically.
   */
  void checkWrite(Bucket b, String key, String ifMatch, boolean ifNoneMatchStar) {
    checkCondition(b.objects.get(key), key, ifMatch, ifNoneMatchStar);
  }

  /**
   * Commits an object, atomically with its conditions: {@code If-None-Match: *} fails with
   * PreconditionFailed when the key exists, {@code If-Match} when its ETag differs (NoSuchKey when
   * there is no object). On failure the new object's blob is discarded.
   */
  S3Object put(Bucket b, S3Object o, String ifMatch, boolean ifNoneMatchStar) {
    S3Object previous = null;
    b.lock.readLock().lock();
    try {
      if (b.deleted) {
        throw S3Errors.noSuchBucket(b.name);
      }
      synchronized (stripe(b, o.key())) {
        previous = b.objects.get(o.key());
        checkCondition(previous, o.key(), ifMatch, ifNoneMatchStar);
        if (root != null) {
          writeObjectMeta(b, o);
        }
        b.objects.put(o.key(), o);
      }
    } catch (RuntimeException e) {
      if (previous == null || !sameBlob(previous.blob(), o.blob())) {
        discard(o.blob());
      }
      throw e;
    } finally {
      b.lock.readLock().unlock();
    }
    if (previous != null && !sameBlob(previous.blob(), o.blob())) {
      discard(previous.blob());
    }
    return previous;
  }

  private static boolean sameBlob(S3Blob a, S3Blob b) {
    return a == b || (a.file() != null && a.file().equals(b.file()));
  }

  /** Deletes an object; false when there was none. */
  boolean delete(Bucket b, String key) {
    S3Object previous;
    b.lock.readLock().lock();
    try {
      if (b.deleted) {
        throw S3Errors.noSuchBucket(b.name);
      }
      synchronized (stripe(b, key)) {
        previous = b.objects.remove(key);
        if (previous != null && root != null) {
          deleteIfExists(metaFile(b, key));
        }
      }
    } finally {
      b.lock.readLock().unlock();
    }
    if (previous != null) {
      discard(previous.blob());
    }
    return previous != null;
  }

  private static void checkCondition(
      S3Object current, String key, String ifMatch, boolean ifNoneMatchStar) {
    if (ifNoneMatchStar && current != null) {
      throw S3Errors.preconditionFailed("If-None-Match");
    }
    if (ifMatch != null) {
      if (current == null) {
        throw S3Errors.noSuchKey(key);
      }
      if (!Conditions.etagMatches(ifMatch, current.etag())) {
        throw S3Errors.preconditionFailed("If-Match");
      }
    }
  }

  private Object stripe(Bucket b, String key) {
    int h = b.name.hashCode() * 31 + key.hashCode();
    return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
  }

  // ---------------------------------------------------------------------------------------------
  // Multipart uploads.

  /** One part of a multipart upload. */
  record Part(
      int number,
      S3Blob blob,
      String etag,
      Instant lastModified,
      S3Checksum checksum,
      String checksumValue) {}

  /** An in-progress multipart upload. Its part map changes only under its monitor. */
  static final class Upload {
    final String id;
    final String bucket;
    final String key;
    final Instant initiated;
    final S3Object.Attrs attrs;
    final S3Checksum checksum;
    final String checksumType;
    final Path dir;
    final ConcurrentSkipListMap<Integer, Part> parts = new ConcurrentSkipListMap<>();
    boolean done;

    Upload(
        String id,
        String bucket,
        String key,
        Instant initiated,
        S3Object.Attrs attrs,
        S3Checksum checksum,
        String checksumType,
        Path dir) {
      this.id = id;
      this.bucket = bucket;
      this.key = key;
      this.initiated = initiated;
      this.attrs = attrs;
      this.checksum = checksum;
      this.checksumType = checksumType;
      this.dir = dir;
    }
  }

  Upload createUpload(
      Bucket b, String key, S3Object.Attrs attrs, S3Checksum checksum, String checksumType) {
    String id = newUploadId();
    Upload u =
        new Upload(
            id,
            b.name,
            key,
            now(),
            attrs,
            checksum,
            checksumType,
            root == null ? null : root.resolve("uploads").resolve(id));
    if (u.dir != null) {
      try {
        Files.createDirectories(u.dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      writeJson(u.dir.resolve("upload.json"), uploadJson(u));
    }
    uploads.put(id, u);
    return u;
  }

  /** The in-progress upload with this id for this bucket and key, or null. */
  Upload upload(String id, String bucket, String key) {
    Upload u = id == null ? null : uploads.get(id);
    return u != null && u.bucket.equals(bucket) && u.key.equals(key) ? u : null;
  }

  /** The in-progress uploads of a bucket, by key then initiation. */
  List<Upload> uploads(String bucket) {
    List<Upload> out = new ArrayList<>();
    for (Upload u : uploads.values()) {
      if (u.bucket.equals(bucket)) {
        out.add(u);
      }
    }
    out.sort(
        Comparator.<Upload, String>comparing(u -> u.key, S3Wire.KEY_ORDER)
            .thenComparing(u -> u.initiated)
            .thenComparing(u -> u.id));
    return out;
  }

  Part putPart(Upload u, int number, byte[] data, String etag, S3Checksum checksum, String value) {
    S3Blob blob;
    if (u.dir == null) {
      blob = new S3Blob.Memory(data);
    } else {
      Path file = u.dir.resolve(number + "-" + UUID.randomUUID());
      try {
        Files.write(file, data);
      } catch (NoSuchFileException e) {
        throw S3Errors.noSuchUpload(u.id); // aborted meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      blob = new S3Blob.File(file, data.length);
    }
    Part part = new Part(number, blob, etag, now(), checksum, value);
    Part old;
    synchronized (u) {
      if (u.done) {
        discard(blob);
        throw S3Errors.noSuchUpload(u.id);
      }
      if (u.dir != null) {
        writeJson(u.dir.resolve(number + ".json"), partJson(part));
      }
      old = u.parts.put(number, part);
    }
    if (old != null) {
      discard(old.blob());
    }
    return part;
  }

  /** The concatenation of parts, kept as a new blob of the bucket. */
  record Assembled(S3Blob blob, byte[] digest) {}

  /**
   * Concatenates parts into a new blob of the bucket, computing a digest of the whole on the way
   * when {@code algorithm} is not null. Call with the upload's monitor held.
   */
  Assembled assemble(Bucket b, List<Part> parts, S3Checksum algorithm) {
    S3Checksum.Hasher hasher = algorithm == null ? null : algorithm.hasher();
    long total = 0;
    for (Part p : parts) {
      total += p.blob().size();
    }
    if (root == null) {
      byte[] all = new byte[Math.toIntExact(total)];
      int pos = 0;
      for (Part p : parts) {
        byte[] bytes = p.blob().readAll();
        System.arraycopy(bytes, 0, all, pos, bytes.length);
        pos += bytes.length;
      }
      if (hasher != null) {
        hasher.update(all, 0, all.length);
      }
      return new Assembled(new S3Blob.Memory(all), hasher == null ? null : hasher.finish());
    }
    Path file = newDataFile(b);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (Part p : parts) {
        try (InputStream in = Files.newInputStream(p.blob().file())) {
          int n;
          while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (hasher != null) {
              hasher.update(buf, 0, n);
            }
          }
        }
      }
    } catch (IOException e) {
      deleteIfExists(file);
      throw new UncheckedIOException(e);
    }
    return new Assembled(new S3Blob.File(file, total), hasher == null ? null : hasher.finish());
  }

  /** Ends a completed upload: its parts are in the object now. */
  void finish(Upload u) {
    synchronized (u) {
      u.done = true;
    }
    uploads.remove(u.id, u);
    if (u.dir != null) {
      deleteTree(u.dir);
    }
  }

  void abort(Upload u) {
    synchronized (u) {
      u.done = true;
    }
    uploads.remove(u.id, u);
    if (u.dir != null) {
      deleteTree(u.dir);
    }
  }

  private static String newUploadId() {
    // S3 upload ids are long opaque URL-safe strings.
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (a.toString() + b.toString()).replace("-", "").getBytes(StandardCharsets.US_ASCII));
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence.

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  private Path newDataFile(Bucket b) {
    String name = UUID.randomUUID().toString();
    Path dir = b.dir.resolve("data").resolve(name.substring(0, 2));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.resolve(name);
  }

  private static Path metaFile(Bucket b, String key) {
    String hash = S3Checksum.hex(S3Checksum.sha256(key.getBytes(StandardCharsets.UTF_8)));
    return b.dir.resolve("meta").resolve(hash.substring(0, 2)).resolve(hash + ".json");
  }

  /** Deletes a blob's file, if it has one: a blob no object or part will reference. */
  void discard(S3Blob blob) {
    if (blob != null && blob.file() != null) {
      deleteIfExists(blob.file());
    }
  }

  private void writeBucket(Bucket b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", b.name);
    m.put("region", b.region);
    m.put("created", b.created.toString());
    m.put("tags", new TreeMap<>(b.tags));
    try {
      Files.createDirectories(b.dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeJson(b.dir.resolve("bucket.json"), m);
  }

  private void writeObjectMeta(Bucket b, S3Object o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", o.key());
    m.put("data", b.dir.relativize(o.blob().file()).toString());
    m.put("size", o.size());
    m.put("etag", o.etag());
    m.put("lastModified", o.lastModified().toString());
    m.put("headers", o.attrs().headers());
    m.put("metadata", o.attrs().metadata());
    m.put("storageClass", o.attrs().storageClass());
    m.put("sse", o.attrs().sse());
    m.put("tags", o.attrs().tags());
    m.put("checksum", o.checksum() == null ? null : o.checksum().name());
    m.put("checksumValue", o.checksumValue());
    m.put("checksumType", o.checksumType());
    m.put("parts", o.partSizes());
    Path file = metaFile(b, o.key());
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeJson(file, m);
  }

  private static Map<String, Object> uploadJson(Upload u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id);
    m.put("bucket", u.bucket);
    m.put("key", u.key);
    m.put("initiated", u.initiated.toString());
    m.put("headers", u.attrs.headers());
    m.put("metadata", u.attrs.metadata());
    m.put("storageClass", u.attrs.storageClass());
    m.put("sse", u.attrs.sse());
    m.put("tags", u.attrs.tags());
    m.put("checksum", u.checksum == null ? null : u.checksum.name());
    m.put("checksumType", u.checksumType);
    return m;
  }

  private static Map<String, Object> partJson(Part p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("number", p.number());
    m.put("data", p.blob().file().getFileName().toString());
    m.put("size", p.blob().size());
    m.put("etag", p.etag());
    m.put("lastModified", p.lastModified().toString());
    m.put("checksum", p.checksum() == null ? null : p.checksum().name());
    m.put("checksumValue", p.checksumValue());
    return m;
  }

  private static void writeJson(Path file, Map<String, Object> m) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.writeString(tmp, Json.write(m));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteIfExists(tmp);
      throw new UncheckedIOException(e);
    }
  }

  private void load() throws IOException {
    Path bucketsDir = root.resolve("buckets");
    if (Files.isDirectory(bucketsDir)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(bucketsDir)) {
        for (Path dir : dirs) {
          loadBucket(dir);
        }
      }
    }
    Path uploadsDir = root.resolve("uploads");
    if (Files.isDirectory(uploadsDir)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(uploadsDir)) {
        for (Path dir : dirs) {
          loadUpload(dir);
        }
      }
    }
  }

  private void loadBucket(Path dir) throws IOException {
    Path file = dir.resolve("bucket.json");
    if (!Files.isRegularFile(file)) {
      deleteTree(dir); // a bucket deleted half-way
      return;
    }
    Map<String, Object> m = Json.object(Files.readAllBytes(file));
    Bucket b =
        new Bucket(
            (String) m.get("name"),
            (String) m.get("region"),
            Instant.parse((String) m.get("created")),
            dir);
    b.tags = Map.copyOf(strings(m.get("tags")));
    Set<Path> referenced = new HashSet<>();
    Path metaDir = dir.resolve("meta");
    if (Files.isDirectory(metaDir)) {
      try (Stream<Path> files = Files.walk(metaDir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = f.getFileName().toString();
          if (!Files.isRegularFile(f)) {
            continue;
          }
          if (!name.endsWith(".json")) {
            deleteIfExists(f); // an interrupted atomic write
            continue;
          }
          try {
            S3Object o = objectFromJson(dir, Json.object(Files.readAllBytes(f)));
            b.objects.put(o.key(), o);
            referenced.add(o.blob().file().toAbsolutePath().normalize());
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "skipping unreadable S3 object metadata " + f, e);
          }
        }
      }
    }
    sweep(dir.resolve("data"), referenced);
    buckets.put(b.name, b);
  }

  private void loadUpload(Path dir) throws IOException {
    Path file = dir.resolve("upload.json");
    Map<String, Object> m;
    try {
      m = Json.object(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      return;
    }
    String bucket = (String) m.get("bucket");
    if (!buckets.containsKey(bucket)) {
      deleteTree(dir);
      return;
    }
    Upload u =
        new Upload(
            (String) m.get("id"),
            bucket,
            (String) m.get("key"),
            Instant.parse((String) m.get("initiated")),
            attrsFromJson(m),
            S3Checksum.of((String) m.get("checksum")),
            (String) m.get("checksumType"),
            dir);
    Set<Path> referenced = new HashSet<>();
    referenced.add(file.toAbsolutePath().normalize());
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        if (f.getFileName().toString().equals("upload.json")) {
          continue;
        }
        Map<String, Object> p = Json.object(Files.readAllBytes(f));
        Path data = dir.resolve((String) p.get("data"));
        Part part =
            new Part(
                ((Number) p.get("number")).intValue(),
                new S3Blob.File(data, ((Number) p.get("size")).longValue()),
                (String) p.get("etag"),
                Instant.parse((String) p.get("lastModified")),
                S3Checksum.of((String) p.get("checksum")),
                (String) p.get("checksumValue"));
        u.parts.put(part.number(), part);
        referenced.add(f.toAbsolutePath().normalize());
        referenced.add(data.toAbsolutePath().normalize());
      }
    }
    sweep(dir, referenced);
    uploads.put(u.id, u);
  }

  private static S3Object objectFromJson(Path bucketDir, Map<String, Object> m) {
    List<Long> parts = new ArrayList<>();
    if (m.get("parts") instanceof List<?> l) {
      for (Object x : l) {
        parts.add(((Number) x).longValue());
      }
    }
    return new S3Object(
        (String) m.get("key"),
        new S3Blob.File(
            bucketDir.resolve((String) m.get("data")), ((Number) m.get("size")).longValue()),
        (String) m.get("etag"),
        Instant.parse((String) m.get("lastModified")),
        attrsFromJson(m),
        S3Checksum.of((String) m.get("checksum")),
        (String) m.get("checksumValue"),
        (String) m.get("checksumType"),
        List.copyOf(parts));
  }

  private static S3Object.Attrs attrsFromJson(Map<String, Object> m) {
    return new S3Object.Attrs(
        strings(m.get("headers")),
        strings(m.get("metadata")),
        (String) m.getOrDefault("storageClass", "STANDARD"),
        (String) m.getOrDefault("sse", "AES256"),
        strings(m.get("tags")));
  }

  private static Map<String, String> strings(Object o) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    return out;
  }

  /** Removes the files under dir that nothing references (leftovers of an interrupted write). */
  private static void sweep(Path dir, Set<Path> referenced) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && !referenced.contains(f.toAbsolutePath().normalize())) {
          deleteIfExists(f);
        }
      }
    }
  }

  private static void deleteIfExists(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not delete " + p, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(S3Store::deleteIfExists);
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not delete " + dir, e);
    }
  }
}
