package io.ebdeploy.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judged result of a group deploy. Immutable; {@link #toJson()} is the shape of {@code --report
 * FILE} and {@code --output json}. A deploy that did not succeed is thrown as a {@link
 * DeployFailedException} that carries this result, so success cannot be mistaken.
 */
public interface DeployResult {
  /** The group asked for: a tag value or an environment name. */
  String group();

  String application();

  String label();

  BundleInfo bundle();

  /** True when the application version already existed with this bundle and was reused. */
  boolean versionReused();

  /** True when the bundle was already in S3 (or the version reused) and not uploaded again. */
  boolean uploadSkipped();

  DeployConfig.MigrationPolicy policy();

  /** The environment that ran migrations; empty when the group has no web environment. */
  Optional<String> migrator();

  /** One per environment, in deploy order (the migrator first under web-first). */
  List<EnvironmentResult> environments();

  /** True only when every environment {@link EnvironmentOutcome#SUCCEEDED succeeded}. */
  boolean succeeded();

  /** What went wrong, in one sentence; empty on success. */
  Optional<String> failure();

  Instant startedAt();

  Instant finishedAt();

  default Duration duration() {
    return Duration.between(startedAt(), finishedAt());
  }

  /**
   * The Slack notifications sent about this deploy, in order, with any failure (which never changes
   * the outcome); empty when notifications are off.
   */
  default List<Notification> notifications() {
    return List.of();
  }

  /**
   * How it ended: {@code succeeded}, {@code rolled-back}, {@code rollback-failed} or {@code
   * interrupted}. A deploy that did not succeed is thrown as a {@link DeployFailedException} whose
   * kind follows from this.
   */
  default DeployOutcome outcome() {
    return succeeded() ? DeployOutcome.SUCCEEDED : DeployOutcome.ROLLED_BACK;
  }

  /**
   * The commit deployed, short: the project's HEAD, else the CI's commit variable; empty for a
   * rollback and where neither exists.
   */
  default Optional<String> commit() {
    return Optional.empty();
  }

  /** Who started the run: the CI's actor, else git's user.email, else the login name. */
  default String startedBy() {
    return "unknown";
  }

  /** {@code deploy}, or {@code rollback} for {@link EbDeploy#rollback()}. */
  default String command() {
    return "deploy";
  }

  /**
   * Each environment's label before the first UpdateEnvironment (the group's previous release), by
   * name; empty when no environment was updated.
   */
  default Map<String, String> previousLabels() {
    return Map.of();
  }

  /** What the paired rollback did; empty when none was needed (success) or nothing had changed. */
  default Optional<RollbackReport> rollback() {
    return Optional.empty();
  }

  /**
   * True whenever the group was rolled back: a rollback returns the code, never the database schema
   * (see docs/migrations.md).
   */
  default boolean schemaNotReverted() {
    return rollback().isPresent();
  }

  /**
   * The RDS snapshot taken before the migrator deployed ({@code database.snapshot-before-migrate}).
   */
  default Optional<String> snapshot() {
    return Optional.empty();
  }

  /** Why the run was cancelled (SIGINT, SIGTERM...), when it was. */
  default Optional<String> interruption() {
    return Optional.empty();
  }

  /** A killed deploy this run found and converged before doing anything new. */
  default Optional<InterruptedDeploy> recovered() {
    return Optional.empty();
  }

  /** The AWS calls this run made. */
  default CallStats calls() {
    return CallStats.NONE;
  }

  /**
   * The static files step (docs/assets.md): uploaded before the environments switched, deleted
   * after they all succeeded; empty when {@code static} is not set or the step did not run.
   */
  default Optional<AssetsResult> assets() {
    return Optional.empty();
  }

  /** Pretty-printed JSON: every field above, times as ISO-8601, durations in milliseconds. */
  String toJson();
}
