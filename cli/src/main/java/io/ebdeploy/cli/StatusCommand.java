package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.GroupStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy status GROUP}: which version each environment of the group runs, its status and
 * health. Exits {@link ExitCodes#VERSIONS_DIFFER} when the environments run different labels (a
 * deploy that went half way), in text and in JSON alike. Reads only.
 */
@Command(
    name = "status",
    sortOptions = false,
    description = {
      "Shows each environment of a group: name, tier, label, status and health. Exits 6 when"
          + " they do not all run the same label. Makes no change.",
      ""
    })
public final class StatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private GlobalOptions global;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description = "The group: a value of the tag (e.g. staging), or an environment name.")
  private String group;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    DeployConfig config = Projects.config(global, ctx);
    GroupStatus status;
    try (Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread())) {
      status = Projects.configure(EbDeploy.forGroup(group), global, ctx, config).status();
    }
    print(out, status, global.json(), Style.of(ctx));
    return status.labelsDiffer() ? ExitCodes.VERSIONS_DIFFER : ExitCodes.OK;
  }

  static void print(PrintWriter out, GroupStatus status, boolean json, Style style) {
    if (json) {
      out.println(status.toJson());
      out.flush();
    } else {
      Reports.status(out, status, style);
    }
  }
}
