package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.InterruptedDeploy;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.RollbackReport;
import io.ebdeploy.api.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;

/**
 * Converges the group after a run that was killed (SIGKILL, a lost machine) and left its record,
 * before anything new is done. Runs with the lock held.
 *
 * <ul>
 *   <li>{@code preparing}: no environment was updated; it is recorded as interrupted.
 *   <li>{@code deploying}: updates still in progress are let finish (until their deadline, then
 *       aborted). When every environment runs the target label, Ready, with accepted health, the
 *       deploy is confirmed {@code succeeded}; otherwise every environment is returned to its
 *       previous label, as the paired rollback does ({@code interrupted}, or {@code
 *       rollback-failed}). A killed {@code rollback} command is finished instead: the group is
 *       taken to its target.
 *   <li>{@code rolling-back}: the rollback is finished.
 *   <li>{@code finished}: only the history entry was missing; it is written.
 * </ul>
 *
 * The killed run gets its history entry ({@code recovered: true}) and its record is deleted.
 */
final class RecoverDeployStep {
  private RecoverDeployStep() {}

  /**
   * @param found the record as found
   * @param converged the same with how it ended
   * @param rollback what the rollback did, when one was needed
   */
  record Recovery(
      InterruptedDeploy found, InterruptedDeploy converged, Optional<RollbackReport> rollback) {
    boolean failed() {
      return converged.convergedTo().orElse("").equals(DeployOutcome.ROLLBACK_FAILED.wireName());
    }
  }

  static Optional<Recovery> run(DeployContext ctx, GroupStore store) {
    Optional<Map<String, Object>> left = DeployRecord.read(store);
    if (left.isEmpty()) {
      return Optional.empty();
    }
    ctx.aws().protectGroup();
    Map<String, Object> rec = left.get();
    InterruptedDeploy found = DeployRecord.describe(rec, Optional.empty());
    ctx.events().emit(new DeployEvent.InterruptedDeployFound(ctx.events().now(), found));
    String phase = found.phase();
    Map<String, String> previous = found.previousLabels();
    Map<String, EnvironmentInfo> envs = new LinkedHashMap<>();
    for (EnvironmentInfo e : ctx.group().environments()) {
      if (previous.isEmpty() || previous.containsKey(e.name())) {
        envs.put(e.name(), e);
      }
    }
    String outcome;
    Optional<RollbackReport> report = Optional.empty();
    Map<String, String> labelsAfter;
    if (DeployRecord.FINISHED.equals(phase)) {
      outcome = Records.string(rec, "outcome");
      labelsAfter = Records.labels(rec, "labelsAfter");
    } else if (previous.isEmpty()) {
      outcome = DeployOutcome.INTERRUPTED.wireName();
      labelsAfter = labels(envs.values());
    } else {
      Map<String, Instant> requested = DeployRecord.requestedAt(rec);
      Duration deployTimeout = ctx.request().config().timeouts().deploy();
      boolean forward = "rollback".equals(found.command()) && DeployRecord.DEPLOYING.equals(phase);
      List<RollBackGroupStep.Target> targets = new ArrayList<>();
      for (EnvironmentInfo e : envs.values()) {
        Instant at = requested.get(e.name());
        targets.add(
            new RollBackGroupStep.Target(
                e,
                ctx.order().roles().getOrDefault(e.name(), Role.WORKER),
                ctx.order().migrator().map(e.name()::equals).orElse(false),
                forward ? found.label() : previous.getOrDefault(e.name(), ""),
                e.health(),
                accepted(ctx, e),
                at == null ? ctx.events().now() : at.plus(deployTimeout)));
      }
      Pacing steady = ctx.pacing().withSleeper(Pacing.STEADY_SLEEP);
      Map<String, String> failures = new HashMap<>();
      Map<String, EnvironmentDescription> now =
          RollBackGroupStep.settle(ctx, targets, steady, failures);
      boolean confirmed =
          DeployRecord.DEPLOYING.equals(phase)
              && failures.isEmpty()
              && confirm(ctx, envs.values(), found.label(), now, steady);
      if (confirmed) {
        outcome = DeployOutcome.SUCCEEDED.wireName();
        labelsAfter = new LinkedHashMap<>();
        for (String name : envs.keySet()) {
          labelsAfter.put(name, found.label());
        }
      } else {
        RollbackReport r =
            RollBackGroupStep.run(
                ctx,
                forward
                    ? "finishing the rollback to "
                        + found.label()
                        + " that was killed ("
                        + found.id()
                        + ")"
                    : "converging the "
                        + found.command()
                        + " of "
                        + found.label()
                        + " that was killed during "
                        + phase
                        + " ("
                        + found.id()
                        + ")",
                rebase(targets, now),
                new HashSet<>(),
                null);
        report = Optional.of(r);
        if (!r.succeeded()) {
          outcome = DeployOutcome.ROLLBACK_FAILED.wireName();
        } else {
          outcome =
              forward ? DeployOutcome.SUCCEEDED.wireName() : DeployOutcome.INTERRUPTED.wireName();
        }
        labelsAfter = new LinkedHashMap<>();
        for (RollbackReport.Step s : r.environments()) {
          labelsAfter.put(s.environment(), s.labelNow());
        }
      }
    }
    InterruptedDeploy converged = DeployRecord.describe(rec, Optional.of(outcome));
    Identity me = Identity.current();
    History.append(
        store,
        History.entry(
            found.id(),
            found.command(),
            found.label(),
            outcome,
            found.startedAt(),
            ctx.events().now(),
            found.who(),
            Optional.ofNullable(Records.string(rec, "ciRunUrl")).filter(s -> !s.isEmpty()),
            previous,
            labelsAfter,
            Optional.of(
                "killed during "
                    + phase
                    + "; converged by "
                    + me.owner()
                    + " on "
                    + me.host()
                    + report
                        .filter(r -> !r.succeeded())
                        .map(r -> ": " + String.join(" ", r.instructions()))
                        .orElse("")),
            true));
    DeployRecord.delete(store);
    ctx.events().emit(new DeployEvent.InterruptedDeployConverged(ctx.events().now(), converged));
    return Optional.of(new Recovery(found, converged, report));
  }

  /** The targets with each environment as it is now (for the rollback's "before" label). */
  private static List<RollBackGroupStep.Target> rebase(
      List<RollBackGroupStep.Target> targets, Map<String, EnvironmentDescription> now) {
    List<RollBackGroupStep.Target> out = new ArrayList<>();
    for (RollBackGroupStep.Target t : targets) {
      EnvironmentDescription d = now.get(t.env().id());
      out.add(
          d == null
              ? t
              : new RollBackGroupStep.Target(
                  Aws.info(d),
                  t.role(),
                  t.migrator(),
                  t.previousLabel(),
                  t.healthBefore(),
                  t.acceptedHealth(),
                  t.inFlightUntil()));
    }
    return out;
  }

  /**
   * True when every environment runs {@code label}, Ready, with accepted health, waiting up to the
   * health grace for the health to settle.
   */
  private static boolean confirm(
      DeployContext ctx,
      java.util.Collection<EnvironmentInfo> envs,
      String label,
      Map<String, EnvironmentDescription> now,
      Pacing pacing) {
    Instant until = ctx.events().now().plus(ctx.pacing().healthGrace());
    Map<String, EnvironmentDescription> current = now;
    Duration interval = pacing.initial();
    while (true) {
      boolean allOnLabel = true;
      boolean allHealthy = true;
      for (EnvironmentInfo e : envs) {
        EnvironmentDescription d = current.get(e.id());
        if (d == null || !"Ready".equals(d.statusAsString()) || !label.equals(d.versionLabel())) {
          allOnLabel = false;
        } else if (!accepted(ctx, e).contains(d.healthAsString())) {
          allHealthy = false;
        }
      }
      if (!allOnLabel) {
        return false;
      }
      if (allHealthy) {
        return true;
      }
      if (!ctx.events().now().isBefore(until)) {
        return false;
      }
      interval = pacing.next(interval, false);
      pacing.sleep(interval);
      try {
        Map<String, EnvironmentDescription> next = new HashMap<>();
        for (EnvironmentDescription d :
            Aws.describeByIds(ctx.aws().eb(), envs.stream().map(EnvironmentInfo::id).toList())) {
          next.put(d.environmentId(), d);
        }
        current = next;
      } catch (software.amazon.awssdk.core.exception.SdkException e) {
        // try again on the next round
      }
    }
  }

  private static Set<String> accepted(DeployContext ctx, EnvironmentInfo e) {
    var h = ctx.request().config().health();
    return e.tier() == Tier.WORKER ? h.worker() : h.web();
  }

  private static Map<String, String> labels(java.util.Collection<EnvironmentInfo> envs) {
    Map<String, String> out = new LinkedHashMap<>();
    envs.forEach(e -> out.put(e.name(), e.versionLabel()));
    return out;
  }
}
