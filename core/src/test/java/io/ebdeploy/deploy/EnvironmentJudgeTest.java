package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.deploy.EnvironmentJudge.Observation;
import io.ebdeploy.deploy.EnvironmentJudge.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvironmentJudgeTest {
  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
  static final Instant DEADLINE = T0.plusSeconds(1800);
  static final Duration GRACE = Duration.ofMinutes(2);

  private static Verdict judge(Observation o, Instant now, Set<String> accepted) {
    return EnvironmentJudge.judge(o, "v2", "v1", accepted, "web", now, DEADLINE, GRACE);
  }

  private static Observation obs(String status, String health, String label, boolean started) {
    return new Observation(status, health, label, started, List.of(), null);
  }

  private static BeanstalkEvent event(String severity, String message) {
    return new BeanstalkEvent(T0.plusSeconds(5), "web", severity, message);
  }

  @Test
  void judge_readyOnTargetGreen_succeeded() {
    Verdict v = judge(obs("Ready", "Green", "v2", true), T0.plusSeconds(60), Set.of("Green"));
    assertThat(v.outcome()).contains(EnvironmentOutcome.SUCCEEDED);
  }

  @Test
  void judge_updating_pending() {
    Verdict v = judge(obs("Updating", "Grey", "v2", true), T0.plusSeconds(10), Set.of("Green"));
    assertThat(v.pending()).isTrue();
  }

  @Test
  void judge_failureEventThenReadyOnTarget_failedNeverSuccess() {
    Observation o =
        new Observation(
            "Ready",
            "Green",
            "v2",
            true,
            List.of(event("ERROR", "Failed to deploy application.")),
            T0.plusSeconds(50));
    Verdict v = judge(o, T0.plusSeconds(60), Set.of("Green"));
    assertThat(v.outcome()).contains(EnvironmentOutcome.FAILED);
    assertThat(v.reason()).contains("Failed to deploy application.");
  }

  @Test
  void judge_readyOnPreviousLabelAfterStart_reverted() {
    Verdict v = judge(obs("Ready", "Green", "v1", true), T0.plusSeconds(60), Set.of("Green"));
    assertThat(v.outcome()).contains(EnvironmentOutcome.REVERTED);
    assertThat(v.reason()).contains("returned it to v1 instead of v2");
  }

  @Test
  void judge_readyOnPreviousLabelNotStartedYet_pending() {
    Verdict v = judge(obs("Ready", "Green", "v1", false), T0.plusSeconds(1), Set.of("Green"));
    assertThat(v.pending()).isTrue();
  }

  @Test
  void judge_sameLabelRedeployNotStarted_pendingUntilItStarts() {
    Verdict v =
        EnvironmentJudge.judge(
            obs("Ready", "Green", "v2", false),
            "v2",
            "v2",
            Set.of("Green"),
            "web",
            T0.plusSeconds(1),
            DEADLINE,
            GRACE);
    assertThat(v.pending()).isTrue();
  }

  @Test
  void judge_yellowWebWithinGrace_pending() {
    Observation o = new Observation("Ready", "Yellow", "v2", true, List.of(), T0.plusSeconds(60));
    assertThat(judge(o, T0.plusSeconds(90), Set.of("Green")).pending()).isTrue();
  }

  @Test
  void judge_yellowWebAfterGrace_failedNamingHealth() {
    Observation o = new Observation("Ready", "Yellow", "v2", true, List.of(), T0.plusSeconds(60));
    Verdict v = judge(o, T0.plusSeconds(60).plus(GRACE), Set.of("Green"));
    assertThat(v.outcome()).contains(EnvironmentOutcome.FAILED);
    assertThat(v.reason()).contains("health Yellow is not accepted").contains("health.web: Green");
  }

  @Test
  void judge_yellowWorkerAccepted_succeeded() {
    Observation o = new Observation("Ready", "Yellow", "v2", true, List.of(), T0.plusSeconds(60));
    Verdict v =
        EnvironmentJudge.judge(
            o,
            "v2",
            "v1",
            Set.of("Green", "Yellow"),
            "worker",
            T0.plusSeconds(61),
            DEADLINE,
            GRACE);
    assertThat(v.outcome()).contains(EnvironmentOutcome.SUCCEEDED);
  }

  @Test
  void judge_pastDeadlineUpdating_timedOut() {
    Verdict v = judge(obs("Updating", "Grey", "v2", true), DEADLINE, Set.of("Green"));
    assertThat(v.outcome()).contains(EnvironmentOutcome.TIMED_OUT);
  }

  @Test
  void failure_knownMessagesAndSeverities_recognised() {
    assertThat(EnvironmentJudge.failure(event("INFO", "Failed to deploy application.")))
        .isPresent();
    assertThat(
            EnvironmentJudge.failure(
                event(
                    "WARN",
                    "Update environment operation is complete, but with errors. For more"
                        + " information, see troubleshooting documentation.")))
        .isPresent();
    assertThat(
            EnvironmentJudge.failure(
                event(
                    "INFO", "The environment was reverted to the previous configuration setting.")))
        .isPresent();
    assertThat(EnvironmentJudge.failure(event("WARN", "Environment health has been set to RED")))
        .isPresent();
    assertThat(EnvironmentJudge.failure(event("FATAL", "anything"))).isPresent();
    assertThat(EnvironmentJudge.failure(event("ERROR", "Instance deployment failed."))).isPresent();
    assertThat(EnvironmentJudge.failure(event("INFO", "Environment update is starting.")))
        .isEqualTo(Optional.empty());
    assertThat(
            EnvironmentJudge.failure(event("INFO", "Environment update completed successfully.")))
        .isEmpty();
    assertThat(
            EnvironmentJudge.failure(
                event("WARN", "Environment health has transitioned from Ok to Warning.")))
        .isEmpty();
  }
}
