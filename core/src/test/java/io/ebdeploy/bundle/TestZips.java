package io.ebdeploy.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.model.FileHeader;

/** Reads zips back for assertions, with zip4j and (when installed) Info-ZIP. */
final class TestZips {
  private TestZips() {}

  static List<String> names(Path zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      file.getFileHeaders().forEach(h -> names.add(h.getFileName()));
    }
    return names;
  }

  static String read(Path zip, String name) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile());
        InputStream in = file.getInputStream(file.getFileHeader(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Unix mode (type and permissions) of each entry, from the external attributes. */
  static Map<String, Integer> modes(Path zip) throws IOException {
    Map<String, Integer> modes = new TreeMap<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (FileHeader h : file.getFileHeaders()) {
        byte[] a = h.getExternalFileAttributes();
        modes.put(h.getFileName(), (a[2] & 0xff) | (a[3] & 0xff) << 8);
      }
    }
    return modes;
  }

  /** The compression method of each entry, as Java's {@code ZipFile} reads it. */
  static Map<String, Integer> methods(Path zip) throws IOException {
    Map<String, Integer> methods = new LinkedHashMap<>();
    try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(file.entries())) {
        methods.put(e.getName(), e.getMethod());
      }
    }
    return methods;
  }

  static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether a command-line tool is on PATH; when it is not, the test part that needs it is skipped,
   * unless -Debdeploy.requireTools=true (CI) makes that a failure.
   */
  static boolean hasTool(String tool) {
    boolean present =
        java.util.stream.Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    if (!present && Boolean.getBoolean("ebdeploy.requireTools")) {
      throw new AssertionError(
          tool + " is required (-Debdeploy.requireTools=true) but not on PATH");
    }
    return present;
  }

  static String exec(Path dir, String... command) {
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
