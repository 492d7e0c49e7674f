package io.ebdeploy.deploy;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.AbortEnvironmentUpdateRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEventsResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;

/**
 * One polling loop for the whole group. Each tick makes two calls whatever the group's size: one
 * DescribeEnvironments for every id and one DescribeEvents for the application since the deploy
 * began (a third only if Beanstalk pages its events). New events are streamed as they arrive,
 * deduplicated by time, environment and message. The interval adapts (see {@link Pacing}); a
 * throttled or failed tick is retried after a jittered backoff.
 */
final class GroupWatcher {
  /** Consecutive failed ticks before the deploy gives up with AWS_ERROR. */
  static final int MAX_FAILED_TICKS = 8;

  private final ElasticBeanstalkClient eb;
  private final String application;
  private final Emitter events;
  private final Pacing pacing;
  private final Duration settleWait;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final Set<String> seenEvents;
  private Instant eventsSince;
  private boolean cancelHandled;

  /** One environment's deploy, as the watcher follows it. */
  static final class Run {
    final EnvironmentInfo before;

    /** The label it must end on: the deploy's, or its previous one in a rollback. */
    String target;

    final Role role;
    final boolean migrator;
    final Set<String> acceptedHealth;
    final Duration timeout;
    Instant requestedAt;
    Instant deadline;
    boolean started;
    String status;
    String health;
    String label;
    Instant readyOnTargetSince;
    final List<BeanstalkEvent> events = new ArrayList<>();
    EnvironmentOutcome outcome;
    String reason;
    Instant decidedAt;
    boolean settled;

    Run(
        EnvironmentInfo before,
        Role role,
        boolean migrator,
        Set<String> acceptedHealth,
        Duration timeout) {
      this.before = before;
      this.role = role;
      this.migrator = migrator;
      this.acceptedHealth = Set.copyOf(acceptedHealth);
      this.timeout = timeout;
      this.status = before.status();
      this.health = before.health();
      this.label = before.versionLabel();
    }

    Run(
        EnvironmentInfo before,
        Role role,
        boolean migrator,
        Set<String> acceptedHealth,
        Duration timeout,
        String target) {
      this(before, role, migrator, acceptedHealth, timeout);
      this.target = target;
    }

    String name() {
      return before.name();
    }

    boolean done() {
      return outcome != null && settled;
    }
  }

  GroupWatcher(
      ElasticBeanstalkClient eb,
      String application,
      String target,
      Collection<Run> runs,
      Emitter events,
      Pacing pacing,
      Duration settleWait) {
    this(eb, application, target, runs, events, pacing, settleWait, new HashSet<>());
  }

  /**
   * @param target the label of runs that have none of their own
   * @param seenEvents events already seen (by the deploy's watcher, for the rollback's): never
   *     attached to a run again
   */
  GroupWatcher(
      ElasticBeanstalkClient eb,
      String application,
      String target,
      Collection<Run> runs,
      Emitter events,
      Pacing pacing,
      Duration settleWait,
      Set<String> seenEvents) {
    this.eb = eb;
    this.application = application;
    this.events = events;
    this.pacing = pacing;
    this.settleWait = settleWait;
    this.seenEvents = seenEvents;
    for (Run r : runs) {
      if (r.target == null) {
        r.target = target;
      }
      this.runs.put(r.before.id(), r);
    }
  }

  /** The events seen so far, shared with a later watcher. */
  Set<String> seenEvents() {
    return seenEvents;
  }

  Collection<Run> runs() {
    return runs.values();
  }

  /** Marks a run requested now: its events count from here, its deadline starts. */
  void requested(Run run, Instant at) {
    run.requestedAt = at;
    run.deadline = at.plus(run.timeout);
    if (eventsSince == null) {
      // Beanstalk's event times have second precision on some paths: look one second back.
      eventsSince = at.minusSeconds(1);
    }
  }

  /** Decides a run without watching it (UpdateEnvironment refused, or it never started). */
  void decide(Run run, EnvironmentOutcome outcome, String reason) {
    run.outcome = outcome;
    run.reason = reason;
    run.decidedAt = events.now();
    run.settled = true;
    events.emit(new DeployEvent.EnvironmentFailed(run.decidedAt, run.name(), outcome, reason));
  }

  /** Ticks until every run of the wave has a verdict and has settled. */
  void watch(List<Run> wave) {
    watch(wave, null);
  }

  /**
   * Ticks until every run of the wave has a verdict and has settled. When {@code control} is
   * cancelled, the runs still undecided are aborted (AbortEnvironmentUpdate), judged failed, and
   * watched until they settle; a null control is never cancelled (the rollback).
   */
  void watch(List<Run> wave, io.ebdeploy.api.DeployControl control) {
    Duration interval = pacing.initial();
    int failedTicks = 0;
    while (!wave.stream().allMatch(Run::done)) {
      if (control != null && control.isCancelled() && !cancelHandled) {
        cancelHandled = true;
        events.announceCancel(control.reason().orElse("cancelled"));
        interruptRuns(wave, control.reason().orElse("cancelled"));
      }
      Pacing pace = cancelHandled ? pacing.withSleeper(Pacing.STEADY_SLEEP) : pacing;
      boolean changed;
      try {
        changed = tick(wave);
        failedTicks = 0;
      } catch (SdkException e) {
        if (!Aws.transientError(e) || ++failedTicks >= MAX_FAILED_TICKS) {
          throw Aws.awsError("watching the deploy (" + failedTicks + " failed polls)", e);
        }
        interval = pace.backoff(interval);
        pace.sleep(interval);
        continue;
      }
      if (wave.stream().allMatch(Run::done)) {
        return;
      }
      interval = pace.next(interval, changed);
      pace.sleep(interval);
    }
  }

  /** Aborts every undecided run of the wave: the deploy was cancelled. */
  private void interruptRuns(List<Run> wave, String why) {
    for (Run r : wave) {
      if (r.outcome != null || r.requestedAt == null) {
        continue;
      }
      r.outcome = EnvironmentOutcome.FAILED;
      r.decidedAt = events.now();
      r.reason = "interrupted (" + why + ")";
      try {
        eb.abortEnvironmentUpdate(
            AbortEnvironmentUpdateRequest.builder().environmentId(r.before.id()).build());
        events.emit(new DeployEvent.Aborted(events.now(), r.name(), r.reason));
        r.reason = r.reason + "; the update was aborted (AbortEnvironmentUpdate)";
      } catch (SdkException e) {
        // Not abortable: it finished (or never started) meanwhile; the rollback sees where it is.
        r.reason =
            r.reason
                + "; AbortEnvironmentUpdate: "
                + Aws.awsError("AbortEnvironmentUpdate", e).getMessage();
      }
      r.settled = false;
      events.emit(new DeployEvent.EnvironmentFailed(r.decidedAt, r.name(), r.outcome, r.reason));
    }
  }

  /** One tick: two calls, then a verdict for each undecided run. Returns whether anything moved. */
  boolean tick(List<Run> wave) {
    List<EnvironmentDescription> described = Aws.describeByIds(eb, runs.keySet());
    List<EventDescription> fresh = describeEvents();
    Instant now = events.now();
    boolean changed = false;
    for (EnvironmentDescription d : described) {
      Run r = runs.get(d.environmentId());
      if (r != null) {
        changed |= observe(r, d, now);
      }
    }
    fresh.sort(Comparator.comparing(EventDescription::eventDate));
    for (EventDescription e : fresh) {
      changed = true;
      BeanstalkEvent be =
          new BeanstalkEvent(
              e.eventDate(),
              e.environmentName() == null ? "" : e.environmentName(),
              e.severityAsString(),
              e.message());
      events.emit(new DeployEvent.BeanstalkEventReceived(now, be));
      for (Run r : runs.values()) {
        if (r.name().equals(be.environment())
            && r.requestedAt != null
            && !be.time().isBefore(r.requestedAt.minusMillis(999))) {
          r.events.add(be);
          r.started = true;
        }
      }
    }
    for (Run r : wave) {
      if (r.outcome == null && r.requestedAt != null) {
        changed |= judge(r, now);
      } else if (r.outcome != null && !r.settled) {
        r.settled =
            EnvironmentJudge.settled(r.status) || !now.isBefore(r.decidedAt.plus(settleWait));
        if (r.settled) {
          refineAfterSettling(r);
        }
      }
    }
    return changed;
  }

  private List<EventDescription> describeEvents() {
    List<EventDescription> fresh = new ArrayList<>();
    if (eventsSince == null) {
      return fresh;
    }
    String token = null;
    Instant newest = eventsSince;
    do {
      DescribeEventsResponse r =
          eb.describeEvents(
              DescribeEventsRequest.builder()
                  .applicationName(application)
                  .startTime(eventsSince)
                  .maxRecords(1000)
                  .nextToken(token)
                  .build());
      for (EventDescription e : r.events()) {
        if (e.eventDate() == null) {
          continue;
        }
        String key = e.eventDate() + "\u0000" + e.environmentName() + "\u0000" + e.message();
        if (seenEvents.add(key)) {
          fresh.add(e);
        }
        if (e.eventDate().isAfter(newest)) {
          newest = e.eventDate();
        }
      }
      token = r.nextToken();
    } while (token != null && !token.isEmpty());
    // StartTime is inclusive: events at `newest` come again and are dropped as seen.
    eventsSince = newest;
    return fresh;
  }

  private boolean observe(Run r, EnvironmentDescription d, Instant now) {
    String status = d.statusAsString();
    String health = d.healthAsString();
    String label = d.versionLabel() == null ? "" : d.versionLabel();
    boolean changed =
        !Objects.equals(status, r.status)
            || !Objects.equals(health, r.health)
            || !Objects.equals(label, r.label);
    r.status = status;
    r.health = health;
    r.label = label;
    if (r.requestedAt != null && r.outcome == null) {
      if (!"Ready".equals(status) || !label.equals(r.before.versionLabel())) {
        r.started = true;
      }
      if ("Ready".equals(status) && r.target.equals(label)) {
        if (r.readyOnTargetSince == null) {
          r.readyOnTargetSince = now;
        }
      } else {
        r.readyOnTargetSince = null;
      }
    }
    if (changed) {
      events.emit(new DeployEvent.EnvironmentChanged(now, r.name(), status, health, label));
    }
    return changed;
  }

  private boolean judge(Run r, Instant now) {
    EnvironmentJudge.Verdict v =
        EnvironmentJudge.judge(
            new EnvironmentJudge.Observation(
                r.status, r.health, r.label, r.started, r.events, r.readyOnTargetSince),
            r.target,
            r.before.versionLabel(),
            r.acceptedHealth,
            r.before.tier() == Tier.WORKER ? "worker" : "web",
            now,
            r.deadline,
            pacing.healthGrace());
    if (v.pending()) {
      return false;
    }
    r.outcome = v.outcome().get();
    r.reason = v.reason();
    r.decidedAt = now;
    if (r.outcome == EnvironmentOutcome.SUCCEEDED) {
      r.settled = true;
      events.emit(
          new DeployEvent.EnvironmentSucceeded(
              now, r.name(), Duration.between(r.requestedAt, now)));
      return true;
    }
    if (r.outcome == EnvironmentOutcome.TIMED_OUT) {
      abort(r);
    }
    r.settled = EnvironmentJudge.settled(r.status);
    if (r.settled) {
      refineAfterSettling(r);
    }
    events.emit(new DeployEvent.EnvironmentFailed(now, r.name(), r.outcome, r.reason));
    return true;
  }

  /** A failure that left the environment on another label than the target was a revert. */
  private void refineAfterSettling(Run r) {
    if (r.outcome == EnvironmentOutcome.FAILED
        && "Ready".equals(r.status)
        && !r.target.equals(r.label)) {
      r.outcome = EnvironmentOutcome.REVERTED;
      r.reason =
          r.reason + "; Beanstalk returned it to " + (r.label.isEmpty() ? "no version" : r.label);
    }
  }

  private void abort(Run r) {
    String why =
        "no verdict within " + FindEnvironmentsStep.human(r.timeout) + " (timeouts.deploy)";
    try {
      eb.abortEnvironmentUpdate(
          AbortEnvironmentUpdateRequest.builder().environmentId(r.before.id()).build());
      events.emit(new DeployEvent.Aborted(events.now(), r.name(), why));
      r.reason = r.reason + "; the update was aborted (AbortEnvironmentUpdate)";
    } catch (SdkException e) {
      r.reason =
          r.reason
              + "; AbortEnvironmentUpdate failed: "
              + Optional.ofNullable(e.getMessage()).orElse(e.toString());
    }
  }
}
