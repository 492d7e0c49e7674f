package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.bundle.SourceVersion;
import io.ebdeploy.notify.Notifier;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the Slack notifier from the config and the environment (docs/slack.md). */
final class Notifications {
  private Notifications() {}

  /** The notifier for a deploy of the project; empty when Slack is not configured. */
  static Optional<Notifier> forDeploy(DeployConfig config, CliContext ctx, Path projectDir) {
    Notifier.Builder b = Notifier.builder(config.slack(), ctx.env());
    commit(projectDir).ifPresent(b::commit);
    return b.build();
  }

  private static Optional<String> commit(Path projectDir) {
    try {
      return Optional.of(SourceVersion.resolve(projectDir, Optional.of("x")).shortCommit())
          .filter(c -> !c.equals("unknown"));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
