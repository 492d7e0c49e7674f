package io.ebdeploy.deploy;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.EnvironmentOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from what one tick saw, whether an environment's deploy succeeded, failed or is still
 * going. Pure: no AWS, no clock.
 *
 * <p>Succeeded: Ready, on the target label, no failure event since its request, health accepted
 * (and, when it already ran the target label before, proof the update happened). Failed: a failure
 * event; Ready on another label once the update started (a revert); health not accepted for {@code
 * healthGrace} after it became Ready on the label; or its deadline passed (timed out).
 */
final class EnvironmentJudge {
  private EnvironmentJudge() {}

  /** The messages Beanstalk ends a failed deployment with (matched case-insensitively). */
  static final List<String> FAILURE_MESSAGES =
      List.of(
          "failed to deploy application",
          "update environment operation is complete, but with errors",
          "the environment was reverted to the previous configuration",
          "failed to deploy configuration",
          "environment health has been set to red",
          "unsuccessful command execution on instance");

  /** What a tick concluded: an outcome, or none while the deploy goes on. */
  record Verdict(Optional<EnvironmentOutcome> outcome, String reason) {
    static final Verdict PENDING = new Verdict(Optional.empty(), "");

    static Verdict of(EnvironmentOutcome o, String reason) {
      return new Verdict(Optional.of(o), reason);
    }

    boolean pending() {
      return outcome.isEmpty();
    }
  }

  /** The current state of one environment and what is known of its deploy. */
  record Observation(
      String status,
      String health,
      String label,
      boolean started,
      List<BeanstalkEvent> eventsSinceRequest,
      Instant readyOnTargetSince) {}

  /** A failure event's message, when the event marks a failed deploy. */
  static Optional<String> failure(BeanstalkEvent e) {
    String sev = e.severity() == null ? "" : e.severity().toUpperCase(Locale.ROOT);
    String msg = e.message() == null ? "" : e.message();
    String lower = msg.toLowerCase(Locale.ROOT);
    if (sev.equals("ERROR") || sev.equals("FATAL")) {
      return Optional.of(msg);
    }
    for (String f : FAILURE_MESSAGES) {
      if (lower.contains(f)) {
        return Optional.of(msg);
      }
    }
    return Optional.empty();
  }

  static Verdict judge(
      Observation o,
      String target,
      String labelBefore,
      Set<String> acceptedHealth,
      String tierName,
      Instant now,
      Instant deadline,
      Duration healthGrace) {
    for (BeanstalkEvent e : o.eventsSinceRequest()) {
      Optional<String> f = failure(e);
      if (f.isPresent()) {
        return Verdict.of(EnvironmentOutcome.FAILED, "Beanstalk: " + f.get());
      }
    }
    boolean ready = "Ready".equals(o.status());
    boolean onTarget = target.equals(o.label());
    boolean updated = o.started() || !target.equals(labelBefore);
    if (ready && onTarget && updated) {
      if (acceptedHealth.contains(o.health())) {
        return Verdict.of(EnvironmentOutcome.SUCCEEDED, "");
      }
      boolean graceOver =
          o.readyOnTargetSince() != null && !now.isBefore(o.readyOnTargetSince().plus(healthGrace));
      if (graceOver || !now.isBefore(deadline)) {
        return Verdict.of(
            EnvironmentOutcome.FAILED,
            "health "
                + o.health()
                + " is not accepted for a "
                + tierName
                + " environment (health."
                + tierName
                + ": "
                + String.join(", ", new java.util.TreeSet<>(acceptedHealth))
                + ")");
      }
    }
    if (ready && !onTarget && o.started()) {
      return Verdict.of(
          EnvironmentOutcome.REVERTED,
          "Beanstalk returned it to "
              + (o.label() == null || o.label().isEmpty() ? "no version" : o.label())
              + " instead of "
              + target);
    }
    if (!now.isBefore(deadline)) {
      return Verdict.of(
          EnvironmentOutcome.TIMED_OUT,
          "not done by its deadline (timeouts.deploy); status "
              + o.status()
              + ", health "
              + o.health()
              + ", label "
              + o.label());
    }
    return Verdict.PENDING;
  }

  /** True once an environment is no longer in the middle of an operation. */
  static boolean settled(String status) {
    return !("Updating".equals(status) || "Aborting".equals(status) || "Launching".equals(status));
  }
}
