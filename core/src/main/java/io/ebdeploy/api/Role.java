package io.ebdeploy.api;

/**
 * The value of {@code EB_DEPLOY_ROLE} an environment gets with the deploy. The application runs its
 * migrations only where the role is {@code web}: exactly one environment of a group (the migrator).
 */
public enum Role {
  /** The migrator: the one environment that runs migrations. */
  WEB("web"),
  /** Another web environment of the group. */
  WEB_SECONDARY("web-secondary"),
  /** A worker environment. */
  WORKER("worker");

  /** The option namespace of environment properties. */
  public static final String NAMESPACE = "aws:elasticbeanstalk:application:environment";

  /** The environment property that carries the role. */
  public static final String VARIABLE = "EB_DEPLOY_ROLE";

  private final String value;

  Role(String value) {
    this.value = value;
  }

  /** The property's value: {@code web}, {@code web-secondary} or {@code worker}. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
