package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.LockInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy unlock GROUP}: removes the group's deploy lock, whoever holds it, and says who
 * did. For a holder known to be dead whose heartbeat is not stale yet. The deploy record of a
 * killed deploy stays, so the next deploy or rollback still converges the group.
 */
@Command(
    name = "unlock",
    sortOptions = false,
    description = {
      "Removes the deploy lock of a group, whoever holds it, and prints who did. Use it when the"
          + " holder is known to be dead (a cancelled CI job, a lost machine) and its heartbeat is"
          + " not yet older than lock.ttl. A killed deploy's record stays: the next deploy or"
          + " rollback converges the group first. A live deploy that loses its lock rolls back.",
      ""
    })
public final class UnlockCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description = "The group: a value of the tag (e.g. staging), or an environment name.")
  private String group;

  @Mixin private GlobalOptions global;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    DeployConfig config = Projects.config(global, ctx);
    Optional<LockInfo> removed;
    try (Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread())) {
      removed = Projects.configure(EbDeploy.forGroup(group), global, ctx, config).unlock();
    }
    if (global.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", group);
      m.put("unlocked", removed.isPresent());
      m.put(
          "lock",
          removed
              .map(
                  l -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("owner", l.owner());
                    h.put("host", l.host());
                    h.put("pid", l.pid());
                    h.put("ciRunUrl", l.ciRunUrl().orElse(null));
                    h.put("command", l.command());
                    h.put("label", l.label());
                    h.put("startedAt", l.startedAt().toString());
                    h.put("heartbeatAt", l.heartbeatAt().toString());
                    return h;
                  })
              .orElse(null));
      out.println(JsonOut.write(m));
    } else if (removed.isPresent()) {
      out.println(
          "Removed the lock of "
              + group
              + " held by "
              + removed.get().describe(Instant.now())
              + ".");
    } else {
      out.println(group + " was not locked.");
    }
    out.flush();
    return ExitCodes.OK;
  }
}
