package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import java.nio.file.Path;
import java.util.Optional;

/** A project built and zipped by the bundle module (SourceVersion, BuildRunner, Bundler). */
final class ProjectBundleSource {
  private ProjectBundleSource() {}

  static SourceBundle of(Path dir, DeployConfig config, Optional<String> label, boolean staged) {
    throw EbDeployException.invalidInput(
        "building a bundle from " + dir + " is not available yet: deploy a zip (forBundle)");
  }
}
