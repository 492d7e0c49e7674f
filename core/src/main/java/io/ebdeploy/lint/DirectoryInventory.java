package io.ebdeploy.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A folder that is not a git checkout (eb-deploy bundles only from git): the files that configure
 * Beanstalk, as they are on disk. Only {@code .ebextensions/}, {@code .platform/} and the root's
 * {@code Procfile}, {@code cron.yaml} and their misspellings are listed, so the bundle's size is
 * not judged.
 */
final class DirectoryInventory implements Inventory {
  private static final List<String> ROOT_FILES =
      List.of("Procfile", "procfile", "Procfile.txt", "cron.yaml", "cron.yml");

  private final Path dir;
  private final String why;
  private final Predicate<String> keep;
  private final List<Item> files = new ArrayList<>();

  DirectoryInventory(Path dir, String why) {
    this(dir, why, name -> true);
  }

  /** Only the files whose name {@code keep} accepts. */
  DirectoryInventory(Path dir, String why, Predicate<String> keep) {
    this.dir = dir;
    this.why = why;
    this.keep = keep;
    try {
      for (String top : List.of(".ebextensions", ".platform")) {
        Path start = dir.resolve(top);
        if (Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
          walk(start);
        }
      }
      for (String name : ROOT_FILES) {
        item(dir.resolve(name)).ifPresent(files::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(Comparator.comparing(Item::name));
  }

  private void walk(Path start) throws IOException {
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            item(file).ifPresent(files::add);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private Optional<Item> item(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    PosixFileAttributes attrs =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
      return Optional.empty();
    }
    String name = dir.relativize(file).toString().replace('\\', '/');
    if (!keep.test(name)) {
      return Optional.empty();
    }
    boolean executable = attrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
    return Optional.of(new Item(name, attrs.size(), executable, attrs.isSymbolicLink()));
  }

  @Override
  public String describe() {
    return dir + " as it is on disk (" + why + ")";
  }

  @Override
  public List<Item> files() {
    return files;
  }

  @Override
  public Optional<Item> find(String name) {
    try {
      return item(dir.resolve(name));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public byte[] read(String name) throws IOException {
    return Files.readAllBytes(dir.resolve(name));
  }

  @Override
  public boolean complete() {
    return false;
  }

  @Override
  public int entryCount() {
    return files.size();
  }

  @Override
  public Optional<Long> zipSize() {
    return Optional.empty();
  }
}
