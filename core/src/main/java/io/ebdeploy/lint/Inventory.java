package io.ebdeploy.lint;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The files lint looks at, and their content: a bundle plan, a zip, or a plain folder. */
interface Inventory {
  /**
   * One file.
   *
   * @param name '/'-separated, relative to the project (the bundle's root)
   */
  record Item(String name, long size, boolean executable, boolean symlink) {}

  /** What is linted, for the report. */
  String describe();

  /** The files, sorted by name. */
  List<Item> files();

  /** The file, when the bundle holds it. */
  Optional<Item> find(String name);

  /** Whether the bundle holds this file. */
  default boolean contains(String name) {
    return find(name).isPresent();
  }

  /** The file's content as it would be bundled. */
  byte[] read(String name) throws IOException;

  /** True when {@link #files()} is the whole bundle, so that its size and count can be judged. */
  boolean complete();

  /** The number of entries the zip holds (the version file included). */
  int entryCount();

  /** The zip's size when it exists already; empty for a bundle not yet written. */
  Optional<Long> zipSize();
}
