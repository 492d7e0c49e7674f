package io.ebdeploy.assets;

import io.ebdeploy.api.DeployConfig.CacheRule;
import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The files of {@code static.dir}: every regular file below it (dotfiles too; symlinks followed),
 * keyed by its '/'-separated path, with the headers it gets and its MD5 (read once, streaming, in a
 * 64 KiB buffer per thread: memory does not grow with file size or count).
 */
final class LocalScan {
  private static final int BUFFER = 64 * 1024;
  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[BUFFER]);

  /** One digest per thread, reset before each file, instead of a provider lookup per file. */
  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(LocalScan::md5);

  /** A file to sync. */
  record LocalFile(
      String rel,
      Path path,
      long size,
      String md5,
      String contentType,
      String contentEncoding,
      String cacheControl) {
    LocalFile withHash(long size, String md5) {
      return new LocalFile(rel, path, size, md5, contentType, contentEncoding, cacheControl);
    }
  }

  /** A compiled {@code static.cache}: the first matching rule wins. */
  record CacheRules(List<AssetGlob> globs, List<String> values) {
    static CacheRules of(List<CacheRule> rules) {
      List<AssetGlob> globs = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (CacheRule r : rules) {
        globs.add(AssetGlob.compile(r.match()));
        values.add(r.cacheControl());
      }
      return new CacheRules(List.copyOf(globs), List.copyOf(values));
    }

    /** The Cache-Control for a path; null when no rule matches (no header). */
    String forPath(String rel) {
      for (int i = 0; i < globs.size(); i++) {
        if (globs.get(i).matches(rel)) {
          return values.get(i);
        }
      }
      return null;
    }
  }

  private LocalScan() {}

  /**
   * Lists the folder (sorted by path); sizes and hashes are filled in by {@link #hash}.
   *
   * @throws EbDeployException INVALID_INPUT for a missing folder, a file named like eb-deploy's own
   *     folder, a key longer than S3 allows, a symlink loop
   */
  static List<LocalFile> list(
      Path dir, String configuredDir, Layout layout, CacheRules rules, boolean precompressed) {
    if (!Files.isDirectory(dir)) {
      throw EbDeployException.invalidInput(
          "static.dir: "
              + dir
              + (Files.exists(dir) ? " is not a folder" : " does not exist")
              + " (static.dir: "
              + configuredDir
              + " in eb-deploy.yml); build the static files first (a build: command such as"
              + " 'python manage.py collectstatic --noinput') or fix static.dir");
    }
    List<Path> paths = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                paths.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                throw EbDeployException.invalidInput(
                    "static.dir: the symlink " + file + " loops back to a folder above it");
              }
              if (Files.isSymbolicLink(file) && !Files.exists(file)) {
                return FileVisitResult.CONTINUE; // a dangling link: nothing to upload
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + dir + ": " + e.getMessage(), e);
    }
    Set<String> rels = new HashSet<>();
    List<String> sorted = new ArrayList<>();
    for (Path p : paths) {
      String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
      rels.add(rel);
      sorted.add(rel);
    }
    java.util.Collections.sort(sorted);
    List<LocalFile> files = new ArrayList<>();
    List<String> tooLong = new ArrayList<>();
    for (String rel : sorted) {
      if (layout.isMeta(rel)) {
        throw EbDeployException.invalidInput(
            "static.dir: "
                + dir.resolve(rel)
                + ": the folder .eb-deploy at the top of static.dir is eb-deploy's own place in"
                + " the bucket (release manifests); rename it");
      }
      String key = layout.key(rel);
      if (!Layout.fitsKey(key)) {
        tooLong.add(rel);
        continue;
      }
      String type = ContentTypes.of(rel);
      String encoding = null;
      if (precompressed) {
        String base = sibling(rel);
        if (base != null && rels.contains(base)) {
          encoding = rel.endsWith(".gz") ? "gzip" : "br";
          type = ContentTypes.of(base);
        }
      }
      files.add(new LocalFile(rel, dir.resolve(rel), -1, null, type, encoding, rules.forPath(rel)));
    }
    if (!tooLong.isEmpty()) {
      throw EbDeployException.invalidInput(
          "static.dir: "
              + tooLong.size()
              + " path(s) make S3 keys longer than 1,024 bytes with the prefix '"
              + layout.prefix()
              + "', e.g. "
              + tooLong.get(0));
    }
    return files;
  }

  /** For {@code x.js.gz} or {@code x.js.br}, {@code x.js}; else null. */
  static String sibling(String rel) {
    for (String suffix : List.of(".gz", ".br")) {
      if (rel.endsWith(suffix) && rel.length() > suffix.length()) {
        String base = rel.substring(0, rel.length() - suffix.length());
        if (!base.endsWith("/")) {
          return base;
        }
      }
    }
    return null;
  }

  /** The file's size and hex MD5, read once; the size is what was read. */
  static LocalFile hash(LocalFile f) {
    MessageDigest md5 = DIGESTS.get();
    md5.reset();
    byte[] buf = BUFFERS.get();
    long size = 0;
    try (InputStream in = Files.newInputStream(f.path())) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md5.update(buf, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + f.path() + ": " + e.getMessage(), e);
    }
    return f.withHash(size, HexFormat.of().formatHex(md5.digest()));
  }

  /** The MD5 of a part of a file, for a multipart upload's Content-MD5. */
  static byte[] md5(Path path, long offset, long length) throws IOException {
    MessageDigest md5 = md5();
    byte[] buf = BUFFERS.get();
    try (var ch = java.nio.channels.FileChannel.open(path)) {
      ch.position(offset);
      InputStream in = java.nio.channels.Channels.newInputStream(ch);
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(path + " shrank while it was uploaded");
        }
        md5.update(buf, 0, n);
        left -= n;
      }
    }
    return md5.digest();
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
