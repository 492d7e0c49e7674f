package io.ebdeploy.api;

import java.util.List;

/**
 * The one exception eb-deploy throws. Its {@link Kind} tells a front end how to exit; its message
 * names what is wrong, the value, and how to fix it, and never contains a secret.
 */
public class EbDeployException extends RuntimeException {
  /** What went wrong, in the terms a front end maps to an exit code. */
  public enum Kind {
    /** Bad input (config, bundle, discovery): nothing was changed. */
    INVALID_INPUT,
    /**
     * The deploy ran and did not succeed, and every environment was returned to its previous label;
     * {@link DeployFailedException#result()} tells which environments failed and how.
     */
    DEPLOY_FAILED,
    /** The deploy failed and returning the group to its previous release failed too. */
    ROLLBACK_FAILED,
    /** Another deploy holds the group's lock. */
    LOCKED,
    /** An AWS call failed for a reason that is not the input's fault. */
    AWS_ERROR,
    /**
     * The run was interrupted ({@link DeployControl#cancel(String)}, SIGINT/SIGTERM); after its
     * first change, it was rolled back first.
     */
    INTERRUPTED
  }

  private final Kind kind;
  private transient List<Notification> notifications = List.of();

  public EbDeployException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public EbDeployException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The Slack notifications sent about the run before it ended with this error (a locked-out run's
   * notice, a refusal after the start notice), as a result's {@link DeployResult#notifications()};
   * empty when none was sent.
   */
  public List<Notification> notifications() {
    return notifications;
  }

  /** Records the notifications sent about the run; the notifier calls it. Returns this. */
  public EbDeployException notifications(List<Notification> sent) {
    this.notifications = List.copyOf(sent);
    return this;
  }

  /** Bad input: the message says what, the value, and the fix. */
  public static EbDeployException invalidInput(String message) {
    return new EbDeployException(Kind.INVALID_INPUT, message);
  }
}
