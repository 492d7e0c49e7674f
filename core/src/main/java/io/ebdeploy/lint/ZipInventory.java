package io.ebdeploy.lint;

import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.model.FileHeader;

/** A zip made elsewhere ({@code EbDeploy.forBundle}): its entries, modes and content. */
final class ZipInventory implements Inventory {
  private final Path zip;
  private final Map<String, FileHeader> headers = new LinkedHashMap<>();
  private final List<Item> files = new ArrayList<>();
  private final long size;

  ZipInventory(Path zip) {
    this.zip = zip;
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (FileHeader h : z.getFileHeaders()) {
        if (h.isDirectory()) {
          continue;
        }
        String name = h.getFileName();
        int mode = unixMode(h);
        boolean symlink = (mode & 0170000) == 0120000;
        headers.put(name, h);
        files.add(new Item(name, h.getUncompressedSize(), (mode & 0111) != 0, symlink));
      }
      size = Files.size(zip);
    } catch (IOException e) {
      throw EbDeployException.invalidInput(
          "bundle " + zip + " is not a readable zip (" + e.getMessage() + "): rebuild it");
    }
    files.sort(Comparator.comparing(Item::name));
  }

  /** The Unix mode in the high 16 bits of the external attributes; 0 when the zip has none. */
  private static int unixMode(FileHeader h) {
    byte[] a = h.getExternalFileAttributes();
    if (a == null || a.length < 4) {
      return 0;
    }
    return (a[2] & 0xff) | ((a[3] & 0xff) << 8);
  }

  @Override
  public String describe() {
    return "the zip " + zip;
  }

  @Override
  public List<Item> files() {
    return files;
  }

  @Override
  public Optional<Item> find(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  @Override
  public byte[] read(String name) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile());
        InputStream in = z.getInputStream(headers.get(name))) {
      return in.readAllBytes();
    }
  }

  @Override
  public boolean complete() {
    return true;
  }

  @Override
  public int entryCount() {
    return files.size();
  }

  @Override
  public Optional<Long> zipSize() {
    return Optional.of(size);
  }
}
