package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.service.TaggedResource;
import io.ebdeploy.sandbox.service.TaggedResources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's buckets and objects, as the other APIs see them (Elastic Beanstalk reads bundles
 * and creates its storage bucket; Tagging lists bucket tags) and as {@link S3Api} serves them.
 *
 * <p>Thread-safe, with fine-grained locking: object bodies are hashed and written before any lock
 * is taken; a write then commits under a lock striped by bucket and key (which makes conditional
 * writes atomic), and under the read side of its bucket's lock (whose write side only DeleteBucket
 * takes).
 *
 * <p>In memory, or with a state directory on disk as {@link S3Files} lays it out.
 */
public final class S3Store implements TaggedResources {
  private static final int STRIPES = 256;

  /** Where state persists, or null when it lives in memory only. */
  private final S3Files files;

  private final ConcurrentHashMap<String, S3Bucket> buckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, S3Upload> uploads = new ConcurrentHashMap<>();
  private final Object[] stripes = new Object[STRIPES];

  S3Store(SandboxContext context) {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    files =
        context.stateDir() == null
            ? null
            : new S3Files(context.stateDir().resolve("s3"), buckets, uploads);
  }

  // ---------------------------------------------------------------------------------------------
  // For the other emulated services (Elastic Beanstalk, Tagging) and for test fixtures: the only
  // public methods.

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
    S3Bucket b = buckets.get(bucket);
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
    S3Bucket b = buckets.get(bucket);
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
    S3Bucket b = buckets.get(bucket);
    if (b != null && !b.deleted) {
      delete(b, key);
    }
  }

  /** Replaces a bucket's tags; the bucket must exist. */
  public void setBucketTags(String bucket, Map<String, String> tags) {
    S3Bucket b = buckets.get(bucket);
    if (b == null) {
      throw new IllegalArgumentException("no bucket named " + bucket);
    }
    setTags(b, tags);
  }

  /** The region's buckets that have tags, by name. */
  @Override
  public List<TaggedResource> taggedResources(String region) {
    List<TaggedResource> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> b : bucketTags().entrySet()) {
      if (!b.getValue().isEmpty() && region.equals(bucketRegion(b.getKey()))) {
        out.add(new TaggedResource("arn:aws:s3:::" + b.getKey(), "s3", "bucket", b.getValue()));
      }
    }
    return out;
  }

  /** Every bucket's name mapped to its tags (empty when it has none). */
  Map<String, Map<String, String>> bucketTags() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    buckets.forEach((name, b) -> out.put(name, b.tags));
    return out;
  }

  /** The region a bucket was created in, or null when there is no such bucket. */
  public String bucketRegion(String name) {
    S3Bucket b = buckets.get(name);
    return b == null ? null : b.region;
  }

  // ---------------------------------------------------------------------------------------------
  // Buckets.

  S3Bucket bucket(String name) {
    return buckets.get(name);
  }

  /** Every bucket, by name. */
  List<S3Bucket> buckets() {
    List<S3Bucket> out = new ArrayList<>(buckets.values());
    out.sort(Comparator.comparing(b -> b.name));
    return out;
  }

  /** Creates a bucket; null when one with this name exists already. */
  S3Bucket createBucket(String name, String region) {
    S3Bucket b = new S3Bucket(name, region, now(), files == null ? null : files.bucketDir(name));
    if (buckets.putIfAbsent(name, b) != null) {
      return null;
    }
    if (files != null) {
      synchronized (b) {
        files.writeBucket(b);
      }
    }
    return b;
  }

  /** Deletes an empty bucket; BucketNotEmpty otherwise. Its in-progress uploads go with it. */
  void deleteBucket(S3Bucket b) {
    List<S3Upload> pending;
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
        S3Files.deleteTree(b.dir);
      }
      buckets.remove(b.name, b);
    } finally {
      b.lock.writeLock().unlock();
    }
    // Outside the bucket lock: a completing upload holds its own monitor, then takes the bucket's.
    for (S3Upload u : pending) {
      end(u);
    }
  }

  void setTags(S3Bucket b, Map<String, String> tags) {
    synchronized (b) {
      b.tags = Map.copyOf(tags);
      if (files != null && !b.deleted) {
        files.writeBucket(b);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Objects.

  /** Keeps the bytes of a new object: in memory, or in a new file of the bucket. */
  S3Blob newBlob(S3Bucket b, byte[] data) {
    return files == null ? new S3Blob.Memory(data) : files.newBlob(b, data);
  }

  S3Object get(S3Bucket b, String key) {
    return b.objects.get(key);
  }

  /**
   * Fails as a conditional write would, without writing: lets a request that cannot succeed stop
   * before its body is stored. {@link #put} checks again, atomically.
   */
  void checkWrite(S3Bucket b, String key, String ifMatch, boolean ifNoneMatchStar) {
    checkCondition(b.objects.get(key), key, ifMatch, ifNoneMatchStar);
  }

  /**
   * Commits an object, atomically with its conditions: {@code If-None-Match: *} fails with
   * PreconditionFailed when the key exists, {@code If-Match} when its ETag differs (NoSuchKey when
   * there is no object). On failure the new object's blob is discarded.
   */
  S3Object put(S3Bucket b, S3Object o, String ifMatch, boolean ifNoneMatchStar) {
    S3Object previous = null;
    b.lock.readLock().lock();
    try {
      if (b.deleted) {
        throw S3Errors.noSuchBucket(b.name);
      }
      synchronized (stripe(b, o.key())) {
        previous = b.objects.get(o.key());
        checkCondition(previous, o.key(), ifMatch, ifNoneMatchStar);
        if (files != null) {
          files.writeObject(b, o);
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
  boolean delete(S3Bucket b, String key) {
    S3Object previous;
    b.lock.readLock().lock();
    try {
      if (b.deleted) {
        throw S3Errors.noSuchBucket(b.name);
      }
      synchronized (stripe(b, key)) {
        previous = b.objects.remove(key);
        if (previous != null && files != null) {
          files.deleteObject(b, key);
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

  private Object stripe(S3Bucket b, String key) {
    int h = b.name.hashCode() * 31 + key.hashCode();
    return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
  }

  // ---------------------------------------------------------------------------------------------
  // Multipart uploads.

  S3Upload createUpload(
      S3Bucket b, String key, S3Object.Attrs attrs, S3Checksum checksum, String checksumType) {
    String id = newUploadId();
    S3Upload u =
        new S3Upload(
            id,
            b.name,
            key,
            now(),
            attrs,
            checksum,
            checksumType,
            files == null ? null : files.uploadDir(id));
    if (files != null) {
      files.createUpload(u);
    }
    uploads.put(id, u);
    return u;
  }

  /** The in-progress upload with this id for this bucket and key, or null. */
  S3Upload upload(String id, String bucket, String key) {
    S3Upload u = id == null ? null : uploads.get(id);
    return u != null && u.bucket.equals(bucket) && u.key.equals(key) ? u : null;
  }

  /** The in-progress uploads of a bucket, by key then initiation. */
  List<S3Upload> uploads(String bucket) {
    List<S3Upload> out = new ArrayList<>();
    for (S3Upload u : uploads.values()) {
      if (u.bucket.equals(bucket)) {
        out.add(u);
      }
    }
    out.sort(
        Comparator.<S3Upload, String>comparing(u -> u.key, S3Wire.KEY_ORDER)
            .thenComparing(u -> u.initiated)
            .thenComparing(u -> u.id));
    return out;
  }

  S3Part putPart(
      S3Upload u, int number, byte[] data, String etag, S3Checksum checksum, String value) {
    S3Blob blob = files == null ? new S3Blob.Memory(data) : files.newPartBlob(u, number, data);
    S3Part part = new S3Part(number, blob, etag, now(), checksum, value);
    S3Part old;
    synchronized (u) {
      if (u.done) {
        discard(blob);
        throw S3Errors.noSuchUpload(u.id);
      }
      if (files != null) {
        files.writePart(u, part);
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
  Assembled assemble(S3Bucket b, List<S3Part> parts, S3Checksum algorithm) {
    S3Checksum.Hasher hasher = algorithm == null ? null : algorithm.hasher();
    long total = 0;
    for (S3Part p : parts) {
      total += p.blob().size();
    }
    if (files == null) {
      byte[] all = new byte[Math.toIntExact(total)];
      int pos = 0;
      for (S3Part p : parts) {
        byte[] bytes = p.blob().readAll();
        System.arraycopy(bytes, 0, all, pos, bytes.length);
        pos += bytes.length;
      }
      if (hasher != null) {
        hasher.update(all, 0, all.length);
      }
      return new Assembled(new S3Blob.Memory(all), hasher == null ? null : hasher.finish());
    }
    return new Assembled(
        files.concatenate(b, parts, total, hasher), hasher == null ? null : hasher.finish());
  }

  /**
   * Ends an upload, completed (its parts are in the object now) or aborted: it is gone, and so are
   * its parts.
   */
  void end(S3Upload u) {
    synchronized (u) {
      u.done = true;
    }
    uploads.remove(u.id, u);
    if (u.dir != null) {
      S3Files.deleteTree(u.dir);
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

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** Deletes a blob's file, if it has one: a blob no object or part will reference. */
  void discard(S3Blob blob) {
    S3Files.discard(blob);
  }
}
