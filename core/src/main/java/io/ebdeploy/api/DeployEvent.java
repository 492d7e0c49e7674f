package io.ebdeploy.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A step of a deploy, as a {@link DeployListener} receives it. Front ends render these; the library
 * prints nothing. Every event knows when it happened.
 */
public sealed interface DeployEvent {
  Instant time();

  /**
   * The group was found.
   *
   * @param matchedTagValues the tag values that matched (case variants of the group), empty when
   *     the group was an environment name
   */
  record DiscoveryDone(
      Instant time,
      String group,
      String application,
      List<EnvironmentInfo> environments,
      List<String> matchedTagValues)
      implements DeployEvent {
    public DiscoveryDone {
      environments = List.copyOf(environments);
      matchedTagValues = List.copyOf(matchedTagValues);
    }
  }

  /** An environment was not Ready yet; the deploy waits for it (up to {@code ready-wait}). */
  record WaitingForReady(Instant time, String environment, String status) implements DeployEvent {}

  /**
   * Lint found a problem that does not block the deploy (a warning; errors stop it before any
   * change, as an {@link EbDeployException}). See docs/lint.md.
   */
  record LintWarning(Instant time, io.ebdeploy.lint.Finding finding) implements DeployEvent {}

  /** One line of output of a build command. */
  record BuildLine(Instant time, String line) implements DeployEvent {}

  /** The bundle was written. */
  record BundleCreated(Instant time, BundleInfo bundle, String label) implements DeployEvent {}

  /** The bundle was not uploaded: it is in S3 already, or the version exists. */
  record UploadSkipped(Instant time, String bucket, String key, String reason)
      implements DeployEvent {}

  /** The bundle was uploaded. */
  record UploadDone(Instant time, String bucket, String key, long bytes, Duration took, int parts)
      implements DeployEvent {}

  /**
   * The static files were compared with their bucket (read-only, before any change): what the
   * deploy will upload, and delete once the whole group succeeded ({@code plan.dryRun()} is true).
   */
  record AssetsPlanned(Instant time, AssetsResult plan) implements DeployEvent {}

  /** New and changed static files were uploaded, before any environment switches. */
  record AssetsUploaded(Instant time, AssetsResult result) implements DeployEvent {}

  /**
   * After the whole group succeeded: the release's manifest was written and stale static files
   * deleted, or {@code result.notDeleted()} says why none were.
   */
  record AssetsPruned(Instant time, AssetsResult result) implements DeployEvent {}

  /** Deleting stale static files failed after the group succeeded; the deploy still succeeded. */
  record AssetsPruneFailed(Instant time, String reason) implements DeployEvent {}

  /** The static files step did not run although {@code static} is set, and why. */
  record AssetsSkipped(Instant time, String reason) implements DeployEvent {}

  /**
   * The application version moved: {@code created}, {@code reused}, or a Beanstalk status ({@code
   * Processing}, {@code Processed}, {@code Failed}).
   */
  record VersionProcessing(Instant time, String label, String status) implements DeployEvent {}

  /** UpdateEnvironment was sent for this environment. */
  record UpdateRequested(Instant time, String environment, String label, Role role)
      implements DeployEvent {}

  /** Beanstalk reported an event about an environment (or the application). */
  record BeanstalkEventReceived(Instant time, BeanstalkEvent event) implements DeployEvent {}

  /** An environment's status, health or label changed. */
  record EnvironmentChanged(
      Instant time, String environment, String status, String health, String label)
      implements DeployEvent {}

  /** The environment is Ready, on the label, without failure events, with accepted health. */
  record EnvironmentSucceeded(Instant time, String environment, Duration took)
      implements DeployEvent {}

  /** The environment failed (or reverted, timed out, did not start). */
  record EnvironmentFailed(
      Instant time, String environment, EnvironmentOutcome outcome, String reason)
      implements DeployEvent {}

  /** AbortEnvironmentUpdate was sent for an environment past its timeout. */
  record Aborted(Instant time, String environment, String reason) implements DeployEvent {}

  /**
   * The environments of the group run different labels already: each one will return to its own if
   * the deploy fails.
   */
  record LabelsDiffer(Instant time, java.util.Map<String, String> labels) implements DeployEvent {
    public LabelsDiffer {
      labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }
  }

  /** The group's deploy lock was taken; {@code takenOverFrom} names a stale holder replaced. */
  record LockAcquired(Instant time, LockInfo lock, java.util.Optional<LockInfo> takenOverFrom)
      implements DeployEvent {}

  /** The lock was released (or could not be: {@code released} false, with the reason). */
  record LockReleased(Instant time, boolean released, String detail) implements DeployEvent {}

  /** A killed deploy's record was found: it is converged before anything new is done. */
  record InterruptedDeployFound(Instant time, InterruptedDeploy record) implements DeployEvent {}

  /** The killed deploy was converged: {@code record.convergedTo()} says how. */
  record InterruptedDeployConverged(Instant time, InterruptedDeploy record)
      implements DeployEvent {}

  /** Each environment's label was recorded as the group's previous release. */
  record PreviousReleaseRecorded(Instant time, java.util.Map<String, String> labels)
      implements DeployEvent {
    public PreviousReleaseRecorded {
      labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }
  }

  /** A cancellation arrived (SIGINT, SIGTERM...): no new update starts. */
  record CancelRequested(Instant time, String reason) implements DeployEvent {}

  /** The RDS snapshot was requested; the deploy waits for it to be available. */
  record SnapshotStarted(Instant time, String dbInstance, String snapshotId)
      implements DeployEvent {}

  /** The RDS snapshot is available. */
  record SnapshotDone(Instant time, String snapshotId, Duration took) implements DeployEvent {}

  /**
   * The paired rollback began: each environment in {@code targets} is returned to the label given
   * (those already there are not touched).
   */
  record RollbackStarted(Instant time, String reason, java.util.Map<String, String> targets)
      implements DeployEvent {
    public RollbackStarted {
      targets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(targets));
    }
  }

  /** The rollback ended. */
  record RollbackDone(Instant time, RollbackReport report) implements DeployEvent {}

  /** The deploy ended, successfully or not. */
  record Done(Instant time, DeployResult result) implements DeployEvent {}
}
