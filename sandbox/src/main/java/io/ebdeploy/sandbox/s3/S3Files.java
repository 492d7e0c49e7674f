package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.Json;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The S3 state on disk, under {@code <stateDir>/s3/}:
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
 * leftovers of a crash and are removed at start-up. {@link S3Store} decides what is written when.
 */
final class S3Files {
  private static final Logger LOG = Logger.getLogger(S3Files.class.getName());
  private final Path root;

  /** Reads the state under {@code root} into these maps, sweeping what a crash left behind. */
  S3Files(Path root, Map<String, S3Bucket> buckets, Map<String, S3Upload> uploads) {
    this.root = root;
    try {
      Files.createDirectories(root);
      load(buckets, uploads);
    } catch (IOException e) {
      throw new UncheckedIOException("could not load the S3 state in " + root, e);
    }
  }

  Path bucketDir(String name) {
    return root.resolve("buckets").resolve(name);
  }

  Path uploadDir(String id) {
    return root.resolve("uploads").resolve(id);
  }

  void writeBucket(S3Bucket b) {
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

  void writeObject(S3Bucket b, S3Object o) {
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

  void deleteObject(S3Bucket b, String key) {
    deleteIfExists(metaFile(b, key));
  }

  /** Keeps the bytes of a new object in a new data file of the bucket. */
  S3Blob newBlob(S3Bucket b, byte[] data) {
    Path file = newDataFile(b);
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3Blob.File(file, data.length);
  }

  /**
   * Concatenates parts into a new data file of the bucket, feeding the hasher (if any) on the way.
   */
  S3Blob concatenate(S3Bucket b, List<S3Part> parts, long total, S3Checksum.Hasher hasher) {
    Path file = newDataFile(b);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (S3Part p : parts) {
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
    return new S3Blob.File(file, total);
  }

  void createUpload(S3Upload u) {
    try {
      Files.createDirectories(u.dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeJson(u.dir.resolve("upload.json"), uploadJson(u));
  }

  /**
   * Keeps a part's bytes in a new file of its upload; NoSuchUpload when it was aborted meanwhile.
   */
  S3Blob newPartBlob(S3Upload u, int number, byte[] data) {
    Path file = u.dir.resolve(number + "-" + UUID.randomUUID());
    try {
      Files.write(file, data);
    } catch (NoSuchFileException e) {
      throw S3Errors.noSuchUpload(u.id); // aborted meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new S3Blob.File(file, data.length);
  }

  void writePart(S3Upload u, S3Part part) {
    writeJson(u.dir.resolve(part.number() + ".json"), partJson(part));
  }

  private Path newDataFile(S3Bucket b) {
    String name = UUID.randomUUID().toString();
    Path dir = b.dir.resolve("data").resolve(name.substring(0, 2));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.resolve(name);
  }

  private static Path metaFile(S3Bucket b, String key) {
    String hash = S3Checksum.hex(S3Checksum.sha256(key.getBytes(StandardCharsets.UTF_8)));
    return b.dir.resolve("meta").resolve(hash.substring(0, 2)).resolve(hash + ".json");
  }

  /** Deletes a blob's file, if it has one: a blob no object or part will reference. */
  static void discard(S3Blob blob) {
    if (blob != null && blob.file() != null) {
      deleteIfExists(blob.file());
    }
  }

  private static Map<String, Object> uploadJson(S3Upload u) {
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

  private static Map<String, Object> partJson(S3Part p) {
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

  private void load(Map<String, S3Bucket> buckets, Map<String, S3Upload> uploads)
      throws IOException {
    Path bucketsDir = root.resolve("buckets");
    if (Files.isDirectory(bucketsDir)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(bucketsDir)) {
        for (Path dir : dirs) {
          loadBucket(dir, buckets);
        }
      }
    }
    Path uploadsDir = root.resolve("uploads");
    if (Files.isDirectory(uploadsDir)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(uploadsDir)) {
        for (Path dir : dirs) {
          loadUpload(dir, buckets, uploads);
        }
      }
    }
  }

  private static void loadBucket(Path dir, Map<String, S3Bucket> buckets) throws IOException {
    Path file = dir.resolve("bucket.json");
    if (!Files.isRegularFile(file)) {
      deleteTree(dir); // a bucket deleted half-way
      return;
    }
    Map<String, Object> m = Json.object(Files.readAllBytes(file));
    S3Bucket b =
        new S3Bucket(
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

  private static void loadUpload(
      Path dir, Map<String, S3Bucket> buckets, Map<String, S3Upload> uploads) throws IOException {
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
    S3Upload u =
        new S3Upload(
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
        S3Part part =
            new S3Part(
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

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(S3Files::deleteIfExists);
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not delete " + dir, e);
    }
  }
}
