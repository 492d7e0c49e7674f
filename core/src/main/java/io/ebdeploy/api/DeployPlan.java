package io.ebdeploy.api;

import java.util.List;
import java.util.Optional;

/**
 * What {@link EbDeploy#deploy()} would do, computed with no change to AWS: the environments, the
 * order, the label and the bundle. Immutable.
 */
public interface DeployPlan {
  String group();

  String application();

  String label();

  /** The environments as discovered (name order). */
  List<EnvironmentInfo> environments();

  /** The role each environment would get, by environment name. */
  java.util.Map<String, Role> roles();

  DeployConfig.MigrationPolicy policy();

  Optional<String> migrator();

  /** The update waves in order: under web-first the migrator alone, then the others together. */
  List<List<String>> waves();

  /** The bundle; its bucket is empty because finding it (CreateStorageLocation) is a change. */
  BundleInfo bundle();

  /** The files in the bundle, in zip order. */
  List<String> bundleEntries();

  /** True when the application version exists already with this bundle and would be reused. */
  boolean versionExists();

  /**
   * The static files the deploy would upload, skip, and delete after it succeeded ({@code dryRun()}
   * true); empty when {@code static} is not set or the step would not run.
   */
  default Optional<AssetsResult> assets() {
    return Optional.empty();
  }

  /** The region the plan looked in, and what named it ({@code AWS_DEFAULT_REGION}...). */
  default Optional<Sourced<String>> region() {
    return Optional.empty();
  }

  /**
   * The endpoints that replace AWS's for the services a deploy calls, by service id ({@code Elastic
   * Beanstalk}, {@code S3}...), each with what set it; empty against AWS itself.
   */
  default java.util.Map<String, Sourced<java.net.URI>> endpoints() {
    return java.util.Map.of();
  }

  /** Pretty-printed JSON of the plan. */
  String toJson();
}
