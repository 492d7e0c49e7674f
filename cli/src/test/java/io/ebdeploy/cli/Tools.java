package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * External tools a test needs (nginx, shellcheck): found on PATH or in /usr/sbin. Missing, the test
 * is skipped with the reason, unless -Debdeploy.requireTools=true (CI), which fails it.
 */
final class Tools {
  private Tools() {}

  static Optional<Path> find(String tool) {
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.add("/usr/sbin");
    dirs.add("/usr/local/sbin");
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Optional.of(Path.of(dir, tool));
      }
    }
    return Optional.empty();
  }

  /** The tool's path; skips the test when it is missing (fails it when tools are required). */
  static Path require(String tool, String debianPackage) {
    Optional<Path> path = find(tool);
    boolean required = Boolean.getBoolean("ebdeploy.requireTools");
    assertThat(path.isPresent() || !required)
        .as(tool + " is required (-Debdeploy.requireTools=true): apt-get install " + debianPackage)
        .isTrue();
    assumeTrue(path.isPresent(), tool + " is not installed: apt-get install " + debianPackage);
    return path.get();
  }
}
