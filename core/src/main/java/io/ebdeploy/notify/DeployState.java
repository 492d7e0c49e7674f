package io.ebdeploy.notify;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the messages say, gathered from a deploy's events and then its result. */
final class DeployState {
  /** How the deploy ended, in the words of the messages. */
  enum Outcome {
    IN_PROGRESS("in progress", ":hourglass_flowing_sand:"),
    SUCCEEDED("succeeded", ":white_check_mark:"),
    FAILED("failed", ":x:"),
    ROLLED_BACK("failed and rolled back", ":leftwards_arrow_with_hook:"),
    ROLLBACK_FAILED("rollback failed", ":rotating_light:"),
    LOCKED("locked out", ":lock:"),
    INTERRUPTED("interrupted", ":warning:");

    final String words;
    final String emoji;

    Outcome(String words, String emoji) {
      this.words = words;
      this.emoji = emoji;
    }
  }

  static final class Env {
    final String name;
    final Tier tier;
    String labelBefore;
    String labelAfter;
    String status;
    String health;
    String result = "waiting";

    Env(String name, Tier tier, String labelBefore, String status, String health) {
      this.name = name;
      this.tier = tier;
      this.labelBefore = labelBefore;
      this.labelAfter = labelBefore;
      this.status = status;
      this.health = health;
    }
  }

  static final int MAX_FAILURE_EVENTS = 5;

  final String command;
  String group;
  String application = "";
  String label = "";
  Optional<String> commit = Optional.empty();
  String actor = "unknown";
  Optional<String> ciUrl = Optional.empty();
  Instant startedAt;
  Instant finishedAt;
  Outcome outcome = Outcome.IN_PROGRESS;
  Optional<String> failure = Optional.empty();
  Optional<String> snapshot = Optional.empty();

  /** Why a rollback started, while it runs. */
  Optional<String> rollingBack = Optional.empty();

  final Map<String, Env> envs = new LinkedHashMap<>();
  final List<String> failureEvents = new ArrayList<>();

  DeployState(String command, String group, Instant startedAt) {
    this.command = command;
    this.group = group;
    this.startedAt = startedAt;
  }

  /** Applies an event; true when an environment's verdict changed (worth an update now). */
  boolean apply(DeployEvent event) {
    if (event instanceof DeployEvent.DiscoveryDone d) {
      application = d.application();
      for (EnvironmentInfo e : d.environments()) {
        envs.put(e.name(), new Env(e.name(), e.tier(), e.versionLabel(), e.status(), e.health()));
      }
    } else if (event instanceof DeployEvent.BundleCreated b) {
      label = b.label();
    } else if (event instanceof DeployEvent.UpdateRequested u) {
      if (rollback() && label.isEmpty()) {
        label = u.label();
      }
      Env e = envs.get(u.environment());
      if (e != null) {
        e.result = "deploying";
      }
    } else if (event instanceof DeployEvent.EnvironmentChanged c) {
      Env e = envs.get(c.environment());
      if (e != null) {
        e.status = c.status();
        e.health = c.health();
        e.labelAfter = c.label();
      }
    } else if (event instanceof DeployEvent.EnvironmentSucceeded s) {
      return verdict(s.environment(), "succeeded");
    } else if (event instanceof DeployEvent.EnvironmentFailed f) {
      addFailure(f.environment() + ": " + f.reason());
      return verdict(
          f.environment(), f.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    } else if (event instanceof DeployEvent.SnapshotDone sd) {
      snapshot = Optional.of(sd.snapshotId());
    } else if (event instanceof DeployEvent.RollbackStarted rs) {
      rollingBack = Optional.of(rs.reason());
      return true;
    } else if (event instanceof DeployEvent.BeanstalkEventReceived r) {
      BeanstalkEvent be = r.event();
      if ("ERROR".equals(be.severity()) || "FATAL".equals(be.severity())) {
        boolean app = be.environment() == null || be.environment().isEmpty();
        addFailure((app ? "" : be.environment() + ": ") + be.message());
      }
    }
    return false;
  }

  /** True for {@code eb-deploy rollback}: the group goes to an earlier label, nothing is built. */
  boolean rollback() {
    return "rollback".equals(command);
  }

  private boolean verdict(String env, String result) {
    Env e = envs.get(env);
    if (e == null || e.result.equals(result)) {
      return false;
    }
    e.result = result;
    return true;
  }

  private void addFailure(String line) {
    if (failureEvents.size() < MAX_FAILURE_EVENTS && !failureEvents.contains(line)) {
      failureEvents.add(line);
    }
  }

  /** The final word: the result's environments, failure and timing replace what events said. */
  void finish(DeployResult r) {
    application = r.application();
    label = r.label();
    startedAt = r.startedAt();
    finishedAt = r.finishedAt();
    failure = r.failure();
    outcome = Outcomes.of(r);
    snapshot = Outcomes.snapshot(r).or(() -> snapshot);
    for (EnvironmentResult er : r.environments()) {
      Env e =
          envs.computeIfAbsent(
              er.name(), n -> new Env(n, er.tier(), er.labelBefore(), er.status(), er.health()));
      e.labelBefore = er.labelBefore();
      e.labelAfter = er.labelAfter();
      e.status = er.status();
      e.health = er.health();
      e.result = er.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      er.reason().ifPresent(reason -> addFailure(er.name() + ": " + reason));
    }
  }

  /** Ended without a result (locked, interrupted, an error). */
  void finish(Outcome o, String reason, Instant at) {
    outcome = o;
    failure = Optional.of(reason);
    finishedAt = at;
  }
}
