package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbEnvironment.Step;
import io.ebdeploy.sandbox.eb.EbModel.EbApplication;
import io.ebdeploy.sandbox.eb.EbModel.EbEvent;
import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.eb.EbModel.EbVersion;
import io.ebdeploy.sandbox.service.SandboxContext;
import java.util.Map;

/**
 * When things happen: the simulated durations of Beanstalk's operations, and the steps each
 * environment has scheduled, applied when they are due. Nothing runs in the background: {@link
 * EbApi} advances the model to "now" at the start of every request.
 */
public final class Timeline {
  // Simulated durations, in seconds of Beanstalk time (real time = these x timeScale), as
  // docs/sandbox.md's Time table lists them; public so that the HTTP tests step time by them.
  public static final double LAUNCH_SECONDS = 240;
  public static final double DEFAULT_DEPLOY_SECONDS = 60;
  public static final double TERMINATE_SECONDS = 120;
  public static final double ABORT_SECONDS = 20;
  public static final double TAG_UPDATE_SECONDS = 10;
  public static final double PROCESSING_SECONDS = 5;
  public static final double HEALTH_RECOVERY_SECONDS = 120;

  /** How long DescribeEnvironments and GetResources keep showing a terminated environment. */
  public static final double TERMINATED_VISIBLE_SECONDS = 3600;

  private final SandboxContext context;
  private final EbModel model;

  Timeline(SandboxContext context, EbModel model) {
    this.context = context;
    this.model = model;
  }

  /** Applies every scheduled step due by {@code now}; true when something changed. */
  boolean advance(long now) {
    boolean changed = false;
    for (Map.Entry<String, EbRegion> entry : model.regions.entrySet()) {
      EbRegion r = entry.getValue();
      for (EbEnvironment e : r.environments) {
        while (!e.steps.isEmpty() && e.steps.get(0).at <= now) {
          apply(r, e, e.steps.remove(0));
          changed = true;
        }
      }
      for (EbApplication a : r.applications.values()) {
        for (EbVersion v : a.versions.values()) {
          if ("PROCESSING".equals(v.status) && v.processedAt != null && v.processedAt <= now) {
            v.status = v.failure == null ? "PROCESSED" : "FAILED";
            v.updated = v.processedAt;
            if (v.failure != null) {
              EbEvent ev = new EbEvent();
              ev.seq = model.next();
              ev.date = v.processedAt;
              ev.severity = "ERROR";
              ev.message = v.failure;
              ev.application = a.name;
              ev.versionLabel = v.label;
              r.events.add(ev);
            }
            v.processedAt = null;
            changed = true;
          }
        }
      }
    }
    return changed;
  }

  private void apply(EbRegion r, EbEnvironment e, Step s) {
    String requestId = e.operation == null ? null : e.operation.requestId;
    boolean messageUsed = false;
    if (s.health != null || s.settleHealth) {
      String health = s.settleHealth ? settledHealth(e) : s.health;
      String status = s.settleHealth ? healthStatus(health) : s.healthStatus;
      String from = e.healthStatus;
      if (status != null && from != null && !status.equals(from)) {
        // A step's message, when it sets health, is the cause Beanstalk appends to the transition.
        String cause = s.message != null && s.health != null ? " " + s.message : "";
        messageUsed = !cause.isEmpty();
        emit(
            r,
            e,
            s.at,
            severityFor(status),
            "Environment health has transitioned from " + from + " to " + status + "." + cause,
            requestId);
      }
      e.health = health;
      e.healthStatus = status;
    }
    if (s.message != null && !messageUsed) {
      emit(r, e, s.at, s.severity, s.message, requestId);
    }
    if (s.status != null) {
      e.status = s.status;
      e.updated = s.at;
      if ("Terminated".equals(s.status)) {
        e.terminated = s.at;
      }
    }
    if (s.setsLabel || s.versionLabel != null) {
      e.versionLabel = s.versionLabel;
    }
    if (s.abortable != null) {
      e.abortable = s.abortable;
    }
    if (s.restoreOptions && e.operation != null && e.operation.previousOptions != null) {
      e.options = OptionSettings.copy(e.operation.previousOptions);
      if (e.operation.previousPlatformArn != null) {
        e.platformArn = e.operation.previousPlatformArn;
        e.solutionStack = e.operation.previousSolutionStack;
      }
    }
    if (s.endOperation) {
      e.operation = null;
      e.abortable = false;
    }
  }

  private void emit(
      EbRegion r, EbEnvironment e, long at, String severity, String message, String requestId) {
    EbEvent ev = new EbEvent();
    ev.seq = model.next();
    ev.date = at;
    ev.severity = severity;
    ev.message = message;
    ev.application = e.application;
    ev.environment = e.name;
    ev.environmentId = e.id;
    ev.requestId = requestId;
    r.events.add(ev);
  }

  private static String severityFor(String healthStatus) {
    return switch (healthStatus) {
      case "Warning", "Degraded", "Severe" -> "WARN";
      default -> "INFO";
    };
  }

  private String settledHealth(EbEnvironment e) {
    EbModel.Behaviour b = model.behaviours.get(e.name);
    return b == null || b.health == null ? "Green" : b.health;
  }

  double deploySeconds(String name) {
    EbModel.Behaviour b = model.behaviours.get(name);
    return b == null || b.deploySeconds == null ? DEFAULT_DEPLOY_SECONDS : b.deploySeconds;
  }

  private static String healthStatus(String health) {
    return switch (health) {
      case "Green" -> "Ok";
      case "Yellow" -> "Warning";
      case "Red" -> "Severe";
      default -> "Unknown";
    };
  }

  long at(long now, double simulatedSeconds) {
    return now + context.scaledMillis(simulatedSeconds);
  }

  boolean recentlyTerminated(EbEnvironment e, long now) {
    return e.terminated != null
        && now - e.terminated <= context.scaledMillis(TERMINATED_VISIBLE_SECONDS);
  }
}
