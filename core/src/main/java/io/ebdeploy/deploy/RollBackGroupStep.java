package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.RollbackReport;
import io.ebdeploy.api.RollbackReport.Step;
import io.ebdeploy.api.RollbackReport.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.AbortEnvironmentUpdateRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentRequest;

/**
 * The paired rollback: returns every environment of the group that is not on its previous label to
 * it, in one polling loop, and verifies the group.
 *
 * <ol>
 *   <li>Updates still in progress are let finish until their own deadline ({@code timeouts.deploy}
 *       after their request), then aborted; the step waits for every environment to settle.
 *   <li>An environment already on its previous label gets nothing (Beanstalk reverted it, the
 *       update was aborted, or it was never updated). One that ran no version before cannot be
 *       returned to "nothing" by label: it is left where it is and the rollback counts as failed.
 *   <li>The others get an UpdateEnvironment to their previous label (throttled and 5xx refusals are
 *       retried), and one {@link GroupWatcher} judges them as a deploy: Ready, on the label, no
 *       failure event, accepted health (the tier's, or the health it had before).
 *   <li>The group is described once more: the rollback succeeded when every environment runs its
 *       previous label and is Ready.
 * </ol>
 *
 * <p>It never throws and is never cancelled: a second interruption is for the process (the CLI
 * exits at once) and the next run finishes the job from the deploy record.
 */
final class RollBackGroupStep {
  private RollBackGroupStep() {}

  /**
   * One environment to return.
   *
   * @param env the environment as last known
   * @param previousLabel where it must return ("" when it ran none)
   * @param healthBefore its health before the deploy, accepted again after the rollback
   * @param inFlightUntil until when an update still in progress is let finish
   */
  record Target(
      EnvironmentInfo env,
      Role role,
      boolean migrator,
      String previousLabel,
      String healthBefore,
      Set<String> acceptedHealth,
      Instant inFlightUntil) {}

  static RollbackReport run(
      DeployContext ctx,
      String reason,
      List<Target> targets,
      Set<String> seenEvents,
      DeployRecord record) {
    ctx.aws().protectGroup();
    Pacing steady = ctx.pacing().withSleeper(Pacing.STEADY_SLEEP);
    if (record != null) {
      record.phase(DeployRecord.ROLLING_BACK, ctx.events().now());
    }
    Map<String, String> failures = new HashMap<>();
    Map<String, EnvironmentDescription> now = settle(ctx, targets, steady, failures);
    Map<String, String> labelBefore = new LinkedHashMap<>();
    List<GroupWatcher.Run> runs = new ArrayList<>();
    Map<String, String> toRoll = new LinkedHashMap<>();
    for (Target t : targets) {
      EnvironmentDescription d = now.get(t.env().id());
      EnvironmentInfo info = d == null ? t.env() : Aws.info(d);
      labelBefore.put(t.env().name(), info.versionLabel());
      if (d == null || failures.containsKey(t.env().name())) {
        continue;
      }
      if (info.versionLabel().equals(t.previousLabel()) || t.previousLabel().isEmpty()) {
        continue;
      }
      Set<String> accepted = new HashSet<>(t.acceptedHealth());
      if (t.healthBefore() != null && !t.healthBefore().isEmpty()) {
        accepted.add(t.healthBefore());
      }
      runs.add(
          new GroupWatcher.Run(
              info,
              t.role(),
              t.migrator(),
              accepted,
              ctx.request().config().timeouts().deploy(),
              t.previousLabel()));
      toRoll.put(t.env().name(), t.previousLabel());
    }
    ctx.events().emit(new DeployEvent.RollbackStarted(ctx.events().now(), reason, toRoll));
    if (!runs.isEmpty()) {
      GroupWatcher watcher =
          new GroupWatcher(
              ctx.aws().eb(),
              ctx.group().application(),
              "",
              runs,
              ctx.events(),
              steady,
              ctx.request().config().timeouts().readyWait(),
              seenEvents == null ? new HashSet<>() : seenEvents);
      List<GroupWatcher.Run> requested = new ArrayList<>();
      for (GroupWatcher.Run r : runs) {
        watcher.requested(r, ctx.events().now());
        try {
          DeployGroupStep.updateEnvironment(
              ctx.aws().eb(),
              UpdateEnvironmentRequest.builder()
                  .environmentId(r.before.id())
                  .versionLabel(r.target)
                  .build(),
              steady);
          ctx.events()
              .emit(
                  new DeployEvent.UpdateRequested(ctx.events().now(), r.name(), r.target, r.role));
          requested.add(r);
        } catch (SdkException e) {
          watcher.decide(
              r,
              EnvironmentOutcome.FAILED,
              "UpdateEnvironment to "
                  + r.target
                  + " was refused: "
                  + Aws.awsError("UpdateEnvironment", e).getMessage());
        }
      }
      try {
        watcher.watch(requested, null);
      } catch (EbDeployException e) {
        for (GroupWatcher.Run r : requested) {
          if (r.outcome == null) {
            r.outcome = EnvironmentOutcome.FAILED;
            r.reason = "the rollback could not be watched: " + e.getMessage();
            r.settled = true;
          }
        }
      }
      for (GroupWatcher.Run r : runs) {
        if (r.outcome != EnvironmentOutcome.SUCCEEDED) {
          failures.put(r.name(), r.reason == null ? "it did not return" : r.reason);
        }
      }
    }
    Map<String, EnvironmentDescription> after = describe(ctx, targets, steady);
    List<Step> steps = new ArrayList<>();
    for (Target t : targets) {
      String name = t.env().name();
      String before = labelBefore.getOrDefault(name, "");
      EnvironmentDescription d = after.get(t.env().id());
      String labelNow = d == null ? before : Aws.info(d).versionLabel();
      String status = d == null ? "unknown" : d.statusAsString();
      boolean home = labelNow.equals(t.previousLabel()) && "Ready".equals(status);
      StepOutcome outcome;
      Optional<String> why = Optional.empty();
      if (home && before.equals(t.previousLabel())) {
        outcome = StepOutcome.ALREADY_THERE;
      } else if (home && !failures.containsKey(name)) {
        outcome = StepOutcome.RETURNED;
      } else if (t.previousLabel().isEmpty() && !labelNow.isEmpty()) {
        outcome = StepOutcome.NO_PREVIOUS_VERSION;
        why = Optional.of("it ran no version before this deploy: there is nothing to return it to");
      } else {
        outcome = StepOutcome.FAILED;
        String f = failures.get(name);
        if (d == null) {
          f = (f == null ? "" : f + "; ") + "its state could not be read";
        } else if (!"Ready".equals(status)) {
          f = (f == null ? "" : f + "; ") + "it is " + status;
        }
        why =
            Optional.of(
                (f == null ? "it runs " + labelNow : f)
                    + " (now on "
                    + (labelNow.isEmpty() ? "no version" : labelNow)
                    + ")");
      }
      steps.add(new Step(name, t.previousLabel(), before, labelNow, outcome, why));
    }
    boolean ok =
        steps.stream()
            .allMatch(
                s ->
                    s.outcome() == StepOutcome.RETURNED
                        || s.outcome() == StepOutcome.ALREADY_THERE);
    RollbackReport report =
        new RollbackReport(reason, ok, steps, ok ? List.of() : instructions(ctx, steps, after));
    ctx.events().emit(new DeployEvent.RollbackDone(ctx.events().now(), report));
    return report;
  }

  /**
   * Waits until no environment of the group is in the middle of an operation: an update in progress
   * is let finish until {@link Target#inFlightUntil()}, then aborted. Gives up {@code
   * timeouts.ready-wait} after the last deadline; an environment still busy then is named in {@code
   * failures}.
   */
  static Map<String, EnvironmentDescription> settle(
      DeployContext ctx, List<Target> targets, Pacing pacing, Map<String, String> failures) {
    Duration readyWait = ctx.request().config().timeouts().readyWait();
    Instant last = ctx.events().now();
    for (Target t : targets) {
      if (t.inFlightUntil() != null && t.inFlightUntil().isAfter(last)) {
        last = t.inFlightUntil();
      }
    }
    Instant giveUp = last.plus(readyWait);
    Set<String> aborted = new LinkedHashSet<>();
    Duration interval = pacing.initial();
    int failedPolls = 0;
    Map<String, EnvironmentDescription> byId = new HashMap<>();
    List<String> ids = targets.stream().map(t -> t.env().id()).toList();
    while (true) {
      try {
        byId.clear();
        for (EnvironmentDescription d : Aws.describeByIds(ctx.aws().eb(), ids)) {
          byId.put(d.environmentId(), d);
        }
        failedPolls = 0;
      } catch (SdkException e) {
        if (++failedPolls >= GroupWatcher.MAX_FAILED_TICKS) {
          for (Target t : targets) {
            failures.put(
                t.env().name(),
                "its state could not be read: "
                    + Aws.awsError("DescribeEnvironments", e).getMessage());
          }
          return Map.of();
        }
        interval = pacing.backoff(interval);
        pacing.sleep(interval);
        continue;
      }
      Instant now = ctx.events().now();
      List<Target> busy =
          targets.stream()
              .filter(
                  t -> {
                    EnvironmentDescription d = byId.get(t.env().id());
                    return d != null && !EnvironmentJudge.settled(d.statusAsString());
                  })
              .toList();
      if (busy.isEmpty()) {
        return new HashMap<>(byId);
      }
      for (Target t : busy) {
        EnvironmentDescription d = byId.get(t.env().id());
        boolean late = t.inFlightUntil() == null || !now.isBefore(t.inFlightUntil());
        if (late
            && "Updating".equals(d.statusAsString())
            && Boolean.TRUE.equals(d.abortableOperationInProgress())
            && aborted.add(t.env().name())) {
          try {
            ctx.aws()
                .eb()
                .abortEnvironmentUpdate(
                    AbortEnvironmentUpdateRequest.builder().environmentId(t.env().id()).build());
            ctx.events()
                .emit(
                    new DeployEvent.Aborted(
                        now,
                        t.env().name(),
                        "still updating at its deadline; aborted before the rollback"));
          } catch (SdkException e) {
            // it may have finished meanwhile: the next poll tells
          }
        }
      }
      if (!now.isBefore(giveUp)) {
        for (Target t : busy) {
          failures.put(
              t.env().name(),
              "it is still "
                  + byId.get(t.env().id()).statusAsString()
                  + " after waiting "
                  + FindEnvironmentsStep.human(readyWait)
                  + " past its deadline");
        }
        return new HashMap<>(byId);
      }
      interval = pacing.next(interval, false);
      pacing.sleep(interval);
    }
  }

  /** The group as it ends, read with a few tries; empty entries when it could not be read. */
  private static Map<String, EnvironmentDescription> describe(
      DeployContext ctx, List<Target> targets, Pacing pacing) {
    List<String> ids = targets.stream().map(t -> t.env().id()).toList();
    Duration interval = pacing.initial();
    for (int attempt = 1; ; attempt++) {
      try {
        Map<String, EnvironmentDescription> out = new HashMap<>();
        for (EnvironmentDescription d : Aws.describeByIds(ctx.aws().eb(), ids)) {
          out.put(d.environmentId(), d);
        }
        return out;
      } catch (SdkException e) {
        if (attempt >= GroupWatcher.MAX_FAILED_TICKS) {
          return Map.of();
        }
        interval = pacing.backoff(interval);
        pacing.sleep(interval);
      }
    }
  }

  /** The exact commands that make a split group consistent again. */
  static List<String> instructions(
      DeployContext ctx, List<Step> steps, Map<String, EnvironmentDescription> after) {
    String group = ctx.request().group();
    String region = ctx.aws().region().id();
    List<String> out = new ArrayList<>();
    Set<String> previous = new LinkedHashSet<>();
    steps.forEach(s -> previous.add(s.previousLabel()));
    out.add("The group " + group + " is not consistent: " + where(steps) + ".");
    boolean oneLabel = previous.size() == 1 && !previous.iterator().next().isEmpty();
    for (Step s : steps) {
      if (s.outcome() == StepOutcome.RETURNED || s.outcome() == StepOutcome.ALREADY_THERE) {
        continue;
      }
      Optional<EnvironmentDescription> d =
          after.values().stream()
              .filter(e -> s.environment().equals(e.environmentName()))
              .findFirst();
      String status = d.map(EnvironmentDescription::statusAsString).orElse("unknown");
      if ("Updating".equals(status)) {
        out.add(
            s.environment()
                + " is still Updating: wait for it, or abort it: aws elasticbeanstalk"
                + " abort-environment-update --region "
                + region
                + " --environment-name "
                + s.environment());
      }
      if (s.outcome() == StepOutcome.NO_PREVIOUS_VERSION) {
        out.add(
            s.environment()
                + " ran no version before this deploy, so it cannot be returned to one: fix the"
                + " cause and deploy again (eb-deploy "
                + group
                + "), or take the whole group to one existing version: eb-deploy rollback "
                + group
                + " --to "
                + (s.labelNow().isEmpty() ? "LABEL" : s.labelNow()));
      } else if (!oneLabel) {
        out.add(
            "aws elasticbeanstalk update-environment --region "
                + region
                + " --environment-name "
                + s.environment()
                + " --version-label "
                + s.previousLabel());
      }
    }
    if (oneLabel) {
      out.add(
          "Run next: eb-deploy rollback "
              + group
              + " --to "
              + previous.iterator().next()
              + "   (it waits for the group and verifies it; by hand: aws elasticbeanstalk"
              + " update-environment --region "
              + region
              + " --environment-name NAME --version-label "
              + previous.iterator().next()
              + " for each environment not on it)");
    }
    out.add("Then check: eb-deploy status " + group);
    return out;
  }

  private static String where(List<Step> steps) {
    List<String> parts = new ArrayList<>();
    for (Step s : steps) {
      parts.add(
          s.environment()
              + " runs "
              + (s.labelNow().isEmpty() ? "no version" : s.labelNow())
              + " (previous: "
              + (s.previousLabel().isEmpty() ? "none" : s.previousLabel())
              + ")");
    }
    return String.join(", ", parts);
  }
}
