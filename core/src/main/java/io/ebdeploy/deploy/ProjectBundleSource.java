package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.bundle.BuildRunner;
import io.ebdeploy.bundle.Bundle;
import io.ebdeploy.bundle.Bundler;
import io.ebdeploy.bundle.SourceVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A project built and zipped by the bundle module: the label from {@link SourceVersion} (git
 * describe, or the override), the build by {@link BuildRunner}, the zip by {@link Bundler}.
 *
 * <p>The version file's deployed-at is the commit's time (now when there is no commit), so that the
 * same commit bundles to the same bytes and a re-run reuses its application version instead of
 * being refused as a different bundle under the same label.
 */
final class ProjectBundleSource implements SourceBundle {
  private final Path dir;
  private final DeployConfig config;
  private final Optional<String> labelOverride;
  private SourceVersion version;
  private Path tempDir;

  private ProjectBundleSource(Path dir, DeployConfig config, Optional<String> labelOverride) {
    this.dir = dir;
    this.config = config;
    this.labelOverride = labelOverride;
  }

  static SourceBundle of(Path dir, DeployConfig config, Optional<String> label, boolean staged) {
    if (!Files.isDirectory(dir)) {
      throw EbDeployException.invalidInput("project " + dir + " is not a directory");
    }
    DeployConfig.Bundle b = config.bundle();
    DeployConfig withStaged =
        b.staged() == staged
            ? config
            : config.toBuilder()
                .bundle(new DeployConfig.Bundle(b.include(), b.exclude(), b.allowSecrets(), staged))
                .build();
    return new ProjectBundleSource(dir, withStaged, label);
  }

  @Override
  public String label() {
    if (version == null) {
      version = SourceVersion.resolve(dir, labelOverride);
    }
    return version.label();
  }

  @Override
  public void build(Consumer<String> lines) {
    BuildRunner.run(dir, config.build(), lines);
  }

  @Override
  public Built bundle(String label) {
    label();
    Path out;
    try {
      tempDir = Files.createTempDirectory("eb-deploy-");
      out = tempDir.resolve(label + ".zip");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create a temporary folder for the bundle", e);
    }
    Instant deployedAt = version.commitTime().orElseGet(Instant::now);
    Bundle b =
        Bundler.create(dir, config, version, deployedAt, Bundler.deployedBy(System.getenv()), out);
    return new Built(b.path(), b.sha256(), b.size(), b.entries());
  }

  /** Deletes the temporary folder and the zip in it; best effort (a leftover is only disk). */
  @Override
  public void discard() {
    if (tempDir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(tempDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      tempDir = null;
    } catch (IOException | java.io.UncheckedIOException e) {
      // Nothing to report through: the deploy's outcome stands.
    }
  }
}
