package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployControl;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.LockedException;
import io.ebdeploy.notify.Notifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy rollback GROUP [--to LABEL]}: takes the whole group to one release, the last on
 * which it was consistent (from its history) or the label given, with the same lock, waves, wait,
 * verification and paired rollback as a deploy. A killed deploy's record is converged first.
 */
@Command(
    name = "rollback",
    sortOptions = false,
    description = {
      "Takes every environment of a group to one release: the last on which the group was"
          + " consistent (from its history in S3), or --to LABEL. Converges a killed deploy first,"
          + " holds the group's lock, updates only the environments not on the label (migrator"
          + " first), and verifies the group like a deploy. If it fails, each environment returns"
          + " to where it was.",
      ""
    })
public final class RollbackCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description = "The group: a value of the tag (e.g. staging), or an environment name.")
  private String group;

  @Option(
      names = "--to",
      paramLabel = "LABEL",
      description =
          "The label to take the group to; it must exist as an application version (default: the"
              + " last release on which the group was consistent).")
  private String to;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the result as JSON to FILE, on success and on failure.")
  private Path report;

  @Mixin private GlobalOptions global;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Style style = global.json() ? Style.PLAIN : Style.of(ctx);
    DeployControl control = new DeployControl();
    DeployResult result;
    DeployFailedException failed = null;
    Optional<Notifier> notifier = Optional.empty();
    try (ProgressRenderer progress =
            global.json()
                ? ProgressRenderer.plain(err, ctx.zone())
                : ProgressRenderer.of(out, style, ctx.zone());
        Signals.Handle signals = Signals.cancelOnSignal(control::cancel)) {
      try {
        DeployConfig config = Projects.config(global, ctx);
        EbDeploy rollback =
            Projects.configure(EbDeploy.forGroup(group), global, ctx, config)
                .listener(progress)
                .control(control);
        notifier = Notifications.of(config, ctx);
        notifier.ifPresent(rollback::notifier);
        result = to == null ? rollback.rollback() : rollback.rollbackTo(to);
      } catch (DeployFailedException e) {
        result = e.result();
        failed = e;
      } catch (RuntimeException e) {
        writeReport(errorReport(e));
        throw e;
      } finally {
        notifier.ifPresent(Notifier::close);
      }
    }
    writeReport(result.toJson());
    if (global.json()) {
      out.println(result.toJson());
      out.flush();
    } else {
      Reports.deploy(out, result, style);
    }
    if (failed != null) {
      throw failed;
    }
    return ExitCodes.OK;
  }

  private String errorReport(RuntimeException e) {
    int code = new ExitCodeMapper().getExitCode(e);
    Map<String, Object> m = new LinkedHashMap<>();
    if (e instanceof LockedException locked) {
      m.putAll(locked.toMap());
    } else {
      m.put("succeeded", false);
      m.put("failure", ErrorHandler.message(e, code, false));
    }
    m.put("command", "rollback");
    m.put("exitCode", code);
    m.put("group", group);
    m.put("label", to);
    m.put("environments", List.of());
    m.put("notifications", Notifications.sentBefore(e));
    return JsonOut.write(m);
  }

  private void writeReport(String json) {
    JsonOut.writeReport(report, json, spec.commandLine().getErr());
  }
}
