package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.Notification;
import io.ebdeploy.notify.Notifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the Slack notifier from the config and the environment (docs/slack.md). */
final class Notifications {
  private Notifications() {}

  /**
   * The notifier of a deploy, a rollback or {@code notify-test}; empty when Slack is not
   * configured. The library names the commit and who started the run.
   */
  static Optional<Notifier> of(DeployConfig config, CliContext ctx) {
    Notifier.Builder b = Notifier.builder(config.slack(), ctx.env());
    ctx.variable(API_URL).ifPresent(b::methodsEndpointUrlPrefix);
    return b.build();
  }

  /**
   * Where Slack's Web API methods are (token mode), for a proxy or a test server; default {@code
   * https://slack.com/api/}.
   */
  static final String API_URL = "EB_DEPLOY_SLACK_API_URL";

  /**
   * The notifications a run sent before it ended with {@code e} and no result, for the error
   * report; empty for other failures.
   */
  static List<Map<String, Object>> sentBefore(RuntimeException e) {
    return e instanceof EbDeployException ebd
        ? ebd.notifications().stream().map(Notification::toMap).toList()
        : List.of();
  }
}
