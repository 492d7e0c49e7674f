package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployPlan;
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
 * {@code eb-deploy plan GROUP}: everything a deploy does before its first change (discovery with
 * every check, the build, the bundle, the version check) and what it would then do. Makes no
 * mutating AWS call. The plan goes to stdout; progress (discovery, build output) to stderr.
 */
@Command(
    name = "plan",
    sortOptions = false,
    description = {
      "Shows what 'deploy GROUP' would do, without changing anything: the environments, their"
          + " roles and order, the label, and the bundle (files, size, SHA-256). Runs every check"
          + " a deploy runs before its first change, the build included.",
      ""
    })
public final class PlanCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description = "The group: a value of the tag (e.g. staging), or an environment name.")
  private String group;

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      description = "The label to plan for (default: from git, as deploy does).")
  private String label;

  @Option(
      names = "--staged",
      description = "Bundle the git index instead of HEAD and the working tree.")
  private boolean staged;

  @Mixin private GlobalOptions global;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DeployPlan plan;
    try (ProgressRenderer progress = ProgressRenderer.plain(err, ctx.zone());
        Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread())) {
      DeployConfig config = Projects.config(global, ctx);
      EbDeploy deploy =
          Projects.configure(
                  EbDeploy.forProject(global.projectDir()).group(group), global, ctx, config)
              .listener(progress);
      if (label != null) {
        deploy.label(label);
      }
      if (staged) {
        deploy.staged(true);
      }
      plan = deploy.plan();
    }
    if (global.json()) {
      out.println(plan.toJson());
      out.flush();
    } else {
      Reports.plan(out, plan, Style.of(ctx), global.isVerbose());
    }
    return ExitCodes.OK;
  }
}
