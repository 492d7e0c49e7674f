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
 * <p>The version file says who deploys and when, so zips of one commit differ; the bundle is named
 * by its content hash ({@link Bundle#contentSha256()}), which leaves the version file out, so a
 * re-run of the same commit, by anyone, reuses its application version.
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
    Bundle b =
        Bundler.create(
            dir, config, version, Instant.now(), Bundler.deployedBy(System.getenv()), out);
    return new Built(b.path(), b.sha256(), b.contentSha256(), b.size(), b.entries());
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
