package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployControl;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.ConfigurationOptionSetting;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentRequest;

/**
 * Deploys the version to the group in waves (web-first: the migrator, then the others; parallel:
 * all) and watches each wave with one {@link GroupWatcher}. Each UpdateEnvironment carries the
 * version label and {@code EB_DEPLOY_ROLE} together. A wave that did not fully succeed stops the
 * deploy: later waves are never started; so does a cancellation, which also aborts the updates in
 * progress. Every environment's label is recorded before the first update (in the deploy record),
 * for the rollback. An AWS failure while watching ends the deploy with the undecided environments
 * failed; the rollback then waits for them to settle.
 */
final class DeployGroupStep {
  private DeployGroupStep() {}

  /** What the step is told about the run around it. */
  interface Hooks {
    /** Before the first UpdateEnvironment: each environment's label (must not fail silently). */
    default void previousRelease(Map<String, String> labels, Map<String, String> ids) {}

    /** Just before the UpdateEnvironments of a wave: these environments are about to be asked. */
    default void requesting(List<String> environments) {}

    /** Environments already running the target that get no update (the rollback command). */
    default boolean skipOnTarget() {
      return false;
    }

    Hooks NONE = new Hooks() {};
  }

  /**
   * @param runs one per environment, in deploy order, each with a verdict
   * @param previousLabels each environment's label before the first update
   * @param seenEvents the Beanstalk events the watcher saw (the rollback's watcher skips them)
   * @param updated true once an UpdateEnvironment was sent
   */
  record Outcome(
      List<GroupWatcher.Run> runs,
      Map<String, String> previousLabels,
      Set<String> seenEvents,
      boolean updated) {}

  /** The runs of every environment, in deploy order, each with a verdict. */
  static List<GroupWatcher.Run> run(DeployContext ctx) {
    return run(ctx, Hooks.NONE).runs();
  }

  static Outcome run(DeployContext ctx, Hooks hooks) {
    DiscoveredGroup group = ctx.group();
    GroupOrder order = ctx.order();
    DeployConfig config = ctx.request().config();
    DeployControl control = ctx.request().control();
    // Labels before: described now, after the version is ready, just before the first update.
    List<EnvironmentInfo> before =
        FindEnvironmentsStep.awaitGroupReady(ctx, "deploy", "no environment was updated");
    Map<String, EnvironmentInfo> byName = new java.util.HashMap<>();
    before.forEach(e -> byName.put(e.name(), e));
    List<GroupWatcher.Run> runs = new ArrayList<>();
    Map<String, String> previous = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    for (List<String> wave : order.waves()) {
      for (String name : wave) {
        EnvironmentInfo e = byName.get(name);
        if (e == null) {
          throw EbDeployException.invalidInput(
              name + " disappeared from the group before the deploy; nothing was updated");
        }
        Set<String> accepted =
            e.tier() == Tier.WORKER ? config.health().worker() : config.health().web();
        runs.add(
            new GroupWatcher.Run(
                e,
                order.roles().get(name),
                order.migrator().map(name::equals).orElse(false),
                accepted,
                config.timeouts().deploy()));
        previous.put(name, e.versionLabel());
        ids.put(name, e.id());
      }
    }
    Interrupts.check(ctx, "no environment was updated");
    hooks.previousRelease(previous, ids);
    ctx.events().emit(new DeployEvent.PreviousReleaseRecorded(ctx.events().now(), previous));
    GroupWatcher watcher =
        new GroupWatcher(
            ctx.aws().eb(),
            group.application(),
            ctx.label(),
            runs,
            ctx.events(),
            ctx.pacing(),
            config.timeouts().readyWait());
    boolean updated = false;
    int index = 0;
    for (List<String> names : order.waves()) {
      List<GroupWatcher.Run> wave = runs.subList(index, index + names.size());
      index += names.size();
      String stop = null;
      List<GroupWatcher.Run> requested = new ArrayList<>();
      List<String> toAsk =
          wave.stream()
              .filter(r -> !(hooks.skipOnTarget() && ctx.label().equals(r.before.versionLabel())))
              .map(GroupWatcher.Run::name)
              .toList();
      if (!toAsk.isEmpty() && !control.isCancelled()) {
        hooks.requesting(toAsk);
      }
      for (GroupWatcher.Run r : wave) {
        if (control.isCancelled()) {
          ctx.events().announceCancel(control.reason().orElse("cancelled"));
          stop = "not started: interrupted (" + control.reason().orElse("cancelled") + ")";
          break;
        }
        if (hooks.skipOnTarget() && ctx.label().equals(r.before.versionLabel())) {
          r.outcome = EnvironmentOutcome.SUCCEEDED;
          r.reason = "already on " + ctx.label() + ": not updated";
          r.settled = true;
          r.decidedAt = ctx.events().now();
          continue;
        }
        updated = true;
        request(ctx, watcher, r);
        requested.add(r);
      }
      if (stop != null) {
        // Cancelled between two requests of one wave: the rest never start.
        for (GroupWatcher.Run r : wave) {
          if (r.outcome == null && r.requestedAt == null) {
            watcher.decide(r, EnvironmentOutcome.NOT_STARTED, stop);
          }
        }
      }
      try {
        watcher.watch(requested, control);
      } catch (EbDeployException e) {
        // Could not watch (AWS failing): the undecided ones failed; the rollback waits for them.
        for (GroupWatcher.Run r : requested) {
          if (r.outcome == null) {
            r.outcome = EnvironmentOutcome.FAILED;
            r.reason = "the deploy could not be watched: " + e.getMessage();
            r.decidedAt = ctx.events().now();
            r.settled = true;
            ctx.events()
                .emit(
                    new DeployEvent.EnvironmentFailed(r.decidedAt, r.name(), r.outcome, r.reason));
          }
        }
      }
      boolean waveOk = wave.stream().allMatch(r -> r.outcome == EnvironmentOutcome.SUCCEEDED);
      if (!waveOk || control.isCancelled()) {
        String why;
        if (control.isCancelled()) {
          why = "not started: interrupted (" + control.reason().orElse("cancelled") + ")";
        } else {
          String failed =
              wave.stream()
                  .filter(r -> r.outcome != EnvironmentOutcome.SUCCEEDED)
                  .map(GroupWatcher.Run::name)
                  .toList()
                  .toString();
          why =
              wave.size() == 1 && wave.get(0).migrator
                  ? "not started: the migrator " + wave.get(0).name() + " did not succeed"
                  : "not started: " + failed + " did not succeed";
        }
        for (GroupWatcher.Run r : runs.subList(index, runs.size())) {
          watcher.decide(r, EnvironmentOutcome.NOT_STARTED, why);
        }
        break;
      }
    }
    return new Outcome(runs, previous, watcher.seenEvents(), updated);
  }

  private static void request(DeployContext ctx, GroupWatcher watcher, GroupWatcher.Run r) {
    ElasticBeanstalkClient eb = ctx.aws().eb();
    Role role = r.role;
    Instant at = ctx.events().now();
    watcher.requested(r, at);
    try {
      updateEnvironment(
          eb,
          UpdateEnvironmentRequest.builder()
              .environmentId(r.before.id())
              .versionLabel(ctx.label())
              .optionSettings(
                  ConfigurationOptionSetting.builder()
                      .namespace(Role.NAMESPACE)
                      .optionName(Role.VARIABLE)
                      .value(role.value())
                      .build())
              .build(),
          ctx.pacing().withSleeper(Pacing.STEADY_SLEEP));
      ctx.events()
          .emit(new DeployEvent.UpdateRequested(ctx.events().now(), r.name(), ctx.label(), role));
    } catch (SdkException e) {
      watcher.decide(
          r,
          EnvironmentOutcome.FAILED,
          "UpdateEnvironment was refused: " + Aws.awsError("UpdateEnvironment", e).getMessage());
    }
  }

  /** Attempts of an UpdateEnvironment refused by throttling or a 5xx (which change nothing). */
  static final int UPDATE_ATTEMPTS = 4;

  /**
   * UpdateEnvironment, tried again (after the SDK's own retries) when throttled or refused with a
   * 5xx: a refused call changed nothing, and giving up would leave the group split.
   */
  static void updateEnvironment(
      ElasticBeanstalkClient eb, UpdateEnvironmentRequest request, Pacing pacing) {
    Duration wait = pacing.initial();
    for (int attempt = 1; ; attempt++) {
      try {
        eb.updateEnvironment(request);
        return;
      } catch (SdkException e) {
        if (attempt >= UPDATE_ATTEMPTS || !Aws.transientError(e) || !refused(e)) {
          throw e;
        }
        wait = pacing.backoff(wait);
        pacing.sleep(wait);
      }
    }
  }

  /**
   * True for an answer (throttling, 5xx) rather than a lost connection, whose effect is unknown.
   */
  private static boolean refused(SdkException e) {
    return e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException;
  }
}
