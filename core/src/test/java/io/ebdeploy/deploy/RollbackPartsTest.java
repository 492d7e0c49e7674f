package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.HistoryEntry;
import io.ebdeploy.api.LockInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts: rollback target from history, names, CI URLs, lock takeover rules. */
class RollbackPartsTest {
  private static HistoryEntry entry(
      String command, String label, String outcome, Map<String, String> after) {
    return new HistoryEntry(
        label,
        command,
        label,
        outcome,
        Instant.EPOCH,
        Instant.EPOCH,
        "me",
        Optional.empty(),
        Map.of(),
        after,
        History.consistent(after.values()),
        Optional.empty(),
        false);
  }

  private static Map<String, String> on(String web, String worker) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("web", web);
    m.put("worker", worker);
    return m;
  }

  /** Newest first, as History.read returns it. */
  private static List<HistoryEntry> history(HistoryEntry... oldestFirst) {
    List<HistoryEntry> out = new ArrayList<>(List.of(oldestFirst));
    java.util.Collections.reverse(out);
    return out;
  }

  @Test
  void rollbackTarget_consistentGroup_theReleaseBeforeTheCurrentOne() {
    var h =
        history(
            entry("deploy", "v1", "succeeded", on("v1", "v1")),
            entry("deploy", "v2", "succeeded", on("v2", "v2")),
            entry("deploy", "v3", "rolled-back", on("v2", "v2")),
            entry("deploy", "v3", "succeeded", on("v3", "v3")));
    assertThat(History.rollbackTarget(h, on("v3", "v3"))).contains("v2");
    assertThat(History.rollbackTarget(h, on("v2", "v2"))).contains("v1");
    assertThat(History.rollbackTarget(h, on("v1", "v1"))).isEmpty();
    assertThat(History.rollbackTarget(h, on("v9", "v9"))).contains("v3");
  }

  @Test
  void rollbackTarget_splitGroup_theLastLabelItWasConsistentOn() {
    var h =
        history(
            entry("deploy", "v1", "succeeded", on("v1", "v1")),
            entry("deploy", "v2", "rollback-failed", on("v2", "v1")));
    assertThat(History.rollbackTarget(h, on("v2", "v1"))).contains("v1");
    assertThat(History.rollbackTarget(List.of(), on("v2", "v1"))).isEmpty();
  }

  @Test
  void snapshotId_withinRdsRules() {
    Instant at = Instant.parse("2026-11-22T08:30:05Z");
    assertThat(SnapshotDatabaseStep.snapshotId("Staging", "v1.2.0-rc_1", at))
        .isEqualTo("eb-deploy-staging-v1-2-0-rc-1-20261122083005");
    assertThat(SnapshotDatabaseStep.snapshotId("s", "x".repeat(300) + "-", at))
        .hasSizeLessThanOrEqualTo(255)
        .endsWith("x-20261122083005")
        .doesNotContain("--");
  }

  @Test
  void bucketFromArn_regionAndAccount() {
    assertThat(
            GroupStore.bucketFromArn(
                "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/Iaso/web"))
        .contains("elasticbeanstalk-eu-central-1-123456789012");
    assertThat(GroupStore.bucketFromArn("nonsense")).isEmpty();
    assertThat(GroupStore.prefix("Iaso", "Staging")).isEqualTo("eb-deploy/Iaso/staging/");
  }

  @Test
  void ciRunUrl_fromTheCiServicesVariables() {
    assertThat(Identity.ciRunUrl(Map.of("GITHUB_RUN_ID", "42", "GITHUB_REPOSITORY", "o/r")))
        .contains("https://github.com/o/r/actions/runs/42");
    assertThat(Identity.ciRunUrl(Map.of("CI_JOB_URL", "https://gitlab/j/1")))
        .contains("https://gitlab/j/1");
    assertThat(Identity.ciRunUrl(Map.of())).isEmpty();
  }

  @Test
  void takeable_onlyStaleOrProvenDead() throws Exception {
    Identity me = Identity.current();
    Instant now = Instant.now();
    LockInfo fresh =
        new LockInfo(
            "a", "h", me.pid(), Optional.empty(), "deploy", "v1", now, now, Duration.ofMinutes(15));
    LockInfo old =
        new LockInfo(
            "a",
            "h",
            1,
            Optional.empty(),
            "deploy",
            "v1",
            now,
            now.minusSeconds(3600),
            Duration.ofMinutes(15));
    assertThat(
            DeployLock.takeable(
                new DeployLock.Held(fresh, "e", me.pidSpace(), me.pidStart(), false, now), me, now))
        .isEmpty();
    assertThat(DeployLock.takeable(new DeployLock.Held(old, "e", "other", "", false, now), me, now))
        .isPresent();
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    LockInfo dead =
        new LockInfo(
            "a", "h", p.pid(), Optional.empty(), "deploy", "v1", now, now, Duration.ofMinutes(15));
    assertThat(
            DeployLock.takeable(
                new DeployLock.Held(dead, "e", me.pidSpace(), "", false, now), me, now))
        .hasValueSatisfying(s -> assertThat(s).contains("is gone"));
    assertThat(
            DeployLock.takeable(
                new DeployLock.Held(dead, "e", "another-machine", "", false, now), me, now))
        .isEmpty();
    assertThat(DeployLock.heartbeatInterval(Duration.ofMinutes(15)))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(DeployLock.heartbeatInterval(Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofMillis(500));
  }
}
