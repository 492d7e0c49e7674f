package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebdeploy.api.DeployConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shape of entry a bundle holds (see {@link BundleShapes}), read back by every zip reader the
 * bundle meets: Java's {@code ZipInputStream} (the sandbox's processing reads bundles with it) and
 * {@code ZipFile}, Python's {@code zipfile}, Info-ZIP's {@code unzip -t} and {@code zipinfo}. Each
 * reader must list the entries in order and give every file's exact content.
 */
class BundleReadersTest {
  private static final Instant DEPLOYED_AT = Instant.parse("2025-11-22T10:15:30Z");

  @TempDir Path dir;
  @TempDir Path out;

  private Path bundle(boolean staged) {
    DeployConfig config =
        DeployConfig.builder()
            .bundle(new DeployConfig.Bundle(List.of(), List.of(), List.of(), staged))
            .build();
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());
    return Bundler.create(dir, config, version, DEPLOYED_AT, "alice", out.resolve(staged + ".zip"))
        .path();
  }

  /** What each entry must hold: the file's bytes, a symlink's target. */
  private Map<String, byte[]> expected(Path zip) throws IOException {
    Map<String, byte[]> expected = new LinkedHashMap<>();
    for (String name : TestZips.names(zip)) {
      Path file = dir.resolve(name);
      expected.put(
          name,
          name.equals("VERSION.json")
              ? TestZips.read(zip, name).getBytes(StandardCharsets.UTF_8)
              : Files.isSymbolicLink(file)
                  ? Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8)
                  : Files.readAllBytes(file));
    }
    return expected;
  }

  @Test
  void everyShape_readByEveryReader_inWorkTreeAndStagedMode() throws Exception {
    BundleShapes.write(TestRepo.init(dir));

    Path zip = bundle(false);
    Path staged = bundle(true);

    assertThat(Files.readAllBytes(staged))
        .as("the index of a clean checkout bundles to the same bytes")
        .isEqualTo(Files.readAllBytes(zip));
    Map<String, byte[]> expected = expected(zip);
    assertThat(expected.keySet())
        .contains(
            "empty.txt",
            "static/empty.png",
            "static/logo.png",
            "static/photo.jpg",
            "static/anim.gif",
            "static/hero.webp",
            "static/font.woff2",
            "data/large.csv",
            "data/large-noise.dat",
            "static/large.png",
            "données/été.txt",
            "static/current.css");
    assertReadByZipInputStream(zip, expected);
    assertReadByZipFile(zip, expected);
    assertReadByPython(zip, expected);
    assertReadByInfoZip(zip, expected.size());
    assertThat(TestZips.methods(zip))
        .containsEntry("app.py", ZipEntry.DEFLATED)
        .containsEntry("data/large.csv", ZipEntry.DEFLATED)
        .containsEntry("static/logo.png", ZipEntry.STORED)
        .containsEntry("static/font.woff2", ZipEntry.STORED)
        .containsEntry("static/large.png", ZipEntry.STORED)
        .containsEntry("static/current.css", ZipEntry.STORED)
        .as("deflate cannot shrink random bytes: stored")
        .containsEntry("data/noise.bin", ZipEntry.STORED)
        .containsEntry("data/large-noise.dat", ZipEntry.STORED)
        .containsEntry("empty.txt", ZipEntry.STORED);
  }

  @Test
  void moreThan65535Entries_zip64EndRecord_readByEveryReader() throws Exception {
    int count = 65_536 + 7;
    Path zip = out.resolve("many.zip");
    Map<String, byte[]> expected = new LinkedHashMap<>();
    long dosTime = Bundler.dosTime(DEPLOYED_AT);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16)) {
      ZipWriter writer = new ZipWriter(file, dosTime);
      for (int i = 0; i < count; i++) {
        String name = String.format("d%02d/f%05d.txt", i % 50, i);
        byte[] content = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(content);
        ZipWriter.Header header =
            ZipWriter.Header.of(
                name, Entry.fileMode(false), false, crc.getValue(), content.length, content.length);
        byte[] local = new byte[header.localLength()];
        ZipWriter.localHeader(local, 0, header, dosTime);
        writer.central(header, writer.offset());
        writer.write(local, 0, local.length);
        writer.write(content, 0, content.length);
        expected.put(name, content);
      }
      writer.finish();
    }

    assertReadByZipInputStream(zip, expected);
    assertReadByZipFile(zip, expected);
    assertReadByPython(zip, expected);
    assertReadByInfoZip(zip, count);
  }

  private static void assertReadByZipInputStream(Path zip, Map<String, byte[]> expected)
      throws IOException {
    Map<String, String> read = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        read.put(e.getName(), TestZips.sha256(in.readAllBytes()));
      }
    }
    assertThat(read).as("ZipInputStream").containsExactlyEntriesOf(hashes(expected));
  }

  private static void assertReadByZipFile(Path zip, Map<String, byte[]> expected)
      throws IOException {
    Map<String, String> read = new LinkedHashMap<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(file.entries())) {
        try (InputStream in = file.getInputStream(e)) {
          read.put(e.getName(), TestZips.sha256(in.readAllBytes()));
        }
      }
    }
    assertThat(read).as("ZipFile").containsExactlyEntriesOf(hashes(expected));
  }

  /** Each entry's SHA-256, in order: one comparison shows every difference at once. */
  private static Map<String, String> hashes(Map<String, byte[]> contents) {
    Map<String, String> hashes = new LinkedHashMap<>();
    contents.forEach((name, content) -> hashes.put(name, TestZips.sha256(content)));
    return hashes;
  }

  private void assertReadByPython(Path zip, Map<String, byte[]> expected) throws IOException {
    if (!TestZips.hasTool("python3")) {
      return;
    }
    String script =
        "import hashlib, json, sys, zipfile\n"
            + "z = zipfile.ZipFile(sys.argv[1])\n"
            // read() checks each entry's CRC
            + "print(json.dumps([[i.filename, hashlib.sha256(z.read(i)).hexdigest()]"
            + " for i in z.infolist()]))\n";
    Path py = out.resolve("read_zip.py");
    Files.writeString(py, script);
    JsonNode result =
        new ObjectMapper().readTree(TestZips.exec(out, "python3", py.toString(), zip.toString()));
    Map<String, String> read = new LinkedHashMap<>();
    result.forEach(e -> read.put(e.get(0).asText(), e.get(1).asText()));
    assertThat(read).as("python zipfile").containsExactlyEntriesOf(hashes(expected));
  }

  private void assertReadByInfoZip(Path zip, int entries) {
    if (TestZips.hasTool("unzip")) {
      assertThat(TestZips.exec(out, "unzip", "-t", zip.toString()))
          .contains("No errors detected in compressed data of " + zip);
    }
    if (TestZips.hasTool("zipinfo")) {
      String listing = TestZips.exec(out, "zipinfo", "-t", zip.toString());
      assertThat(listing).startsWith(entries + " files, ");
    }
  }
}
