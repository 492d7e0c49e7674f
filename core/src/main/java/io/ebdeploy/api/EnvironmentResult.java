package io.ebdeploy.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How one environment of the group fared. Immutable. {@link #labelBefore()} is recorded before the
 * first update of the group, so that a later rollback knows where to return.
 */
public interface EnvironmentResult {
  String name();

  String id();

  Tier tier();

  /** The {@code EB_DEPLOY_ROLE} it was deployed with. */
  Role role();

  /** True for the one environment that runs migrations. */
  boolean migrator();

  /** The label it ran before the deploy (empty string when none). */
  String labelBefore();

  /** The label it ran when the deploy ended: the target on success, the old one when reverted. */
  String labelAfter();

  /** The last {@code Status} seen. */
  String status();

  /** The last {@code Health} seen. */
  String health();

  EnvironmentOutcome outcome();

  /** Why it failed, reverted, timed out or did not start; empty on success. */
  Optional<String> reason();

  /** When its UpdateEnvironment was sent; empty when it never was. */
  Optional<Instant> requestedAt();

  /** From the request to the verdict; zero when it never started. */
  Duration duration();

  /** Beanstalk's events about it since its request, oldest first. */
  List<BeanstalkEvent> events();
}
