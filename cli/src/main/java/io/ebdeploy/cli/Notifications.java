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
    ctx.variable(API_URL).ifPresent(b::methodsEndpointUrlPrefix);
    return b.build();
  }

  /** The notifier for {@code notify-test}. */
  static Optional<Notifier> forTest(DeployConfig config, CliContext ctx) {
    Notifier.Builder b = Notifier.builder(config.slack(), ctx.env());
    ctx.variable(API_URL).ifPresent(b::methodsEndpointUrlPrefix);
    return b.build();
  }

  /**
   * Where Slack's Web API methods are (token mode), for a proxy or a test server; default {@code
   * https://slack.com/api/}.
   */
  static final String API_URL = "EB_DEPLOY_SLACK_API_URL";

  private static Optional<String> commit(Path projectDir) {
    try {
      return Optional.of(SourceVersion.resolve(projectDir, Optional.of("x")).shortCommit())
          .filter(c -> !c.equals("unknown"));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
