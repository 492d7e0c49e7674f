package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployControl;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.LockedException;
import io.ebdeploy.notify.Notifier;
import java.io.PrintWriter;
import java.nio.file.Files;
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
 * {@code eb-deploy deploy GROUP} (also {@code eb-deploy GROUP}): builds and bundles the project
 * once, uploads it once, deploys it to every environment of the group (the migrator first), and
 * prints the verdict per environment. Progress goes to stdout (live on a terminal, plain lines
 * otherwise); with {@code --output json}, stdout gets only the result JSON and progress goes to
 * stderr.
 */
@Command(
    name = "deploy",
    sortOptions = false,
    description = {
      "Deploys the project to every environment of a group: the environments tagged GROUP (tag key"
          + " 'env' unless eb-deploy.yml says otherwise), or the one environment named GROUP.",
      "",
      "Builds and bundles once, uploads once, deploys the migrator first (EB_DEPLOY_ROLE=web) and"
          + " the others once it succeeded, then judges each environment: Ready, on the label, no"
          + " failure event, accepted health. 'eb-deploy GROUP' is the same command.",
      ""
    })
public final class DeployCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description = "The group: a value of the tag (e.g. staging), or an environment name.")
  private String group;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      description =
          "The application version label (default: git describe --tags --match 'v[0-9]*', else"
              + " the short commit; -dirty when the tree has changes).")
  private String label;

  @Option(
      names = "--staged",
      description =
          "Bundle the git index (what 'git add' staged) instead of HEAD and the working tree"
              + " (default: bundle.staged in eb-deploy.yml).")
  private boolean staged;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Also write the result as JSON to FILE, on success and on failure (the same document as"
              + " --output json).")
  private Path report;

  @Option(
      names = "--rds-endpoint-url",
      paramLabel = "URL",
      description =
          "Deprecated: export AWS_ENDPOINT_URL_RDS=URL instead. Sends the RDS calls of"
              + " database.snapshot-before-migrate here.")
  private java.net.URI rdsEndpointUrl;

  @Mixin private GlobalOptions global;

  static final String DEPRECATED_RDS_ENDPOINT =
      "eb-deploy: --rds-endpoint-url is deprecated and will be removed; export"
          + " AWS_ENDPOINT_URL_RDS=URL instead, as for every AWS service (docs/configuration.md)";

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    checkReportPath();
    Style style = global.json() ? Style.PLAIN : Style.of(ctx);
    DeployResult result;
    DeployFailedException failed = null;
    Optional<Notifier> notifier = Optional.empty();
    DeployControl control = new DeployControl();
    try (ProgressRenderer progress =
            global.json()
                ? ProgressRenderer.plain(err, ctx.zone())
                : ProgressRenderer.of(out, style, ctx.zone());
        Signals.Handle signals = Signals.cancelOnSignal(control::cancel)) {
      try {
        DeployConfig config = Projects.config(global, ctx);
        EbDeploy deploy =
            Projects.configure(
                    EbDeploy.forProject(global.projectDir()).group(group), global, ctx, config)
                .listener(progress)
                .control(control);
        if (rdsEndpointUrl != null) {
          err.println(DEPRECATED_RDS_ENDPOINT);
          err.flush();
          deploy.rdsEndpoint(rdsEndpointUrl);
        }
        if (label != null) {
          deploy.label(label);
        }
        notifier = Notifications.of(config, ctx);
        notifier.ifPresent(deploy::notifier);
        if (staged) {
          deploy.staged(true);
        }
        result = deploy.deploy();
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

  /** Refuses, before anything runs, a report that could not be written at the end. */
  private void checkReportPath() {
    if (report == null) {
      return;
    }
    Path file = report.toAbsolutePath();
    Path dir = file.getParent();
    if (Files.isDirectory(file)) {
      throw CliException.usage("--report " + report + " is a directory: name a file");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw CliException.usage(
          "--report " + report + ": the directory " + dir + " does not exist; create it first");
    }
  }

  /** The report of a deploy that stopped before it had a result: what stopped it. */
  private String errorReport(RuntimeException e) {
    int code = new ExitCodeMapper().getExitCode(e);
    if (e instanceof LockedException locked) {
      Map<String, Object> m = new LinkedHashMap<>(locked.toMap());
      m.put("exitCode", code);
      m.put("label", label);
      m.put("environments", List.of());
      m.put("notifications", Notifications.sentBefore(e));
      return JsonOut.write(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("succeeded", false);
    m.put("failure", ErrorHandler.message(e, code, false));
    m.put(
        "kind",
        e instanceof EbDeployException ebd
            ? ebd.kind().name()
            : code == ExitCodes.USAGE ? "INVALID_INPUT" : "INTERNAL_ERROR");
    m.put("exitCode", code);
    m.put("group", group);
    m.put("label", label);
    m.put("environments", List.of());
    m.put("notifications", Notifications.sentBefore(e));
    return JsonOut.write(m);
  }

  private void writeReport(String json) {
    JsonOut.writeReport(report, json, spec.commandLine().getErr());
  }
}
