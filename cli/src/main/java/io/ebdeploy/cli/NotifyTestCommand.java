package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.Notification;
import io.ebdeploy.notify.Notifier;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy notify-test}: sends a sample Slack message in the configured mode. Exit 0 when
 * Slack took it, 5 when it did not (the message names the variable, never its value), 2 when Slack
 * is not configured.
 */
@Command(
    name = "notify-test",
    sortOptions = false,
    description = {
      "Sends a sample Slack message, to check the slack: settings of eb-deploy.yml and the"
          + " variable holding the webhook URL (SLACK_WEBHOOK_URL) or bot token (SLACK_BOT_TOKEN)."
          + " Exits 0 when Slack accepted it, 5 when not, 2 when Slack is not configured.",
      ""
    })
public final class NotifyTestCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private GlobalOptions global;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    DeployConfig config = Projects.config(global, ctx);
    Optional<Notifier> notifier = Notifications.of(config, ctx);
    if (notifier.isEmpty()) {
      throw CliException.usage(
          "Slack is not configured: " + Notifier.notConfiguredReason(config.slack(), ctx.env()));
    }
    Notification n;
    try {
      n = notifier.get().sendTest();
    } finally {
      notifier.get().close();
    }
    if (global.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", notifier.get().mode());
      m.put("source", notifier.get().describe());
      m.put("ok", n.ok());
      m.put("error", n.error().orElse(null));
      out.println(JsonOut.write(m));
      out.flush();
    } else if (n.ok()) {
      out.println("Sent a test message to Slack (" + notifier.get().describe() + ").");
      out.flush();
    }
    if (!n.ok()) {
      throw new CliException(
          ExitCodes.AWS_ERROR, "the Slack test message failed: " + n.error().orElse("unknown"));
    }
    return ExitCodes.OK;
  }
}
