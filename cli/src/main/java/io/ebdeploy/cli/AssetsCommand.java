package io.ebdeploy.cli;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeploy;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy assets GROUP [--dry-run]}: the static files step of a deploy on its own. Pushes
 * what is new or changed in {@code static.dir} to {@code s3://static.bucket/static.prefix/}, and
 * deletes nothing (that waits for a successful deploy). Runs no build and touches no environment.
 */
@Command(
    name = "assets",
    sortOptions = false,
    description = {
      "Uploads the static files (static: in eb-deploy.yml) that are new or changed, by content,"
          + " to their S3 bucket, in parallel, with their Content-Type and Cache-Control. Deletes"
          + " nothing: stale files are deleted after a deploy of the group succeeded. Runs no"
          + " build command and touches no environment.",
      ""
    })
public final class AssetsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private GlobalOptions global;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description =
          "The group the files are for (a tag value such as staging): its pending manifest"
              + " protects them from another group's deletion.")
  private String group;

  @Option(
      names = {"-n", "--dry-run"},
      description = "Only compare: count what would be uploaded and skipped; write nothing.")
  private boolean dryRun;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    DeployConfig config = Projects.config(global, ctx);
    AssetsResult result;
    try (Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread())) {
      result =
          Projects.configure(
                  EbDeploy.forProject(global.projectDir()).group(group), global, ctx, config)
              .assets(dryRun);
    }
    if (global.json()) {
      out.println(JsonOut.write(result.toMap()));
    } else {
      Reports.assets(out, result, Style.of(ctx));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
