package io.ebdeploy.api;

/**
 * How a deploy (or a rollback) of a group ended, as the report's {@code outcome} names it. Each has
 * its own exit code in the CLI (0, 1, 3, 4, 130).
 */
public enum DeployOutcome {
  /** Every environment runs the target label, verified. */
  SUCCEEDED("succeeded"),
  /**
   * It failed, and every environment was returned to the label it ran before (or never left it):
   * the group is consistent on its previous release. The database schema is not reverted.
   */
  ROLLED_BACK("rolled-back"),
  /**
   * It failed and the rollback failed too: the environments may run different labels. The result's
   * {@link RollbackReport#instructions()} say exactly what to run next.
   */
  ROLLBACK_FAILED("rollback-failed"),
  /** Another deploy of the group holds its lock; nothing was done. */
  LOCKED("locked"),
  /**
   * Cancelled (SIGINT/SIGTERM, {@link DeployControl#cancel(String)}) and rolled back: the group is
   * consistent on its previous release. A cancelled deploy whose rollback failed is {@link
   * #ROLLBACK_FAILED}: a split group is the more urgent news.
   */
  INTERRUPTED("interrupted");

  private final String wireName;

  DeployOutcome(String wireName) {
    this.wireName = wireName;
  }

  /** The name in reports and history: {@code succeeded}, {@code rolled-back}... */
  public String wireName() {
    return wireName;
  }

  /** The kind of exception a deploy that ended so is thrown as. */
  public EbDeployException.Kind kind() {
    return switch (this) {
      case SUCCEEDED, ROLLED_BACK -> EbDeployException.Kind.DEPLOY_FAILED;
      case ROLLBACK_FAILED -> EbDeployException.Kind.ROLLBACK_FAILED;
      case LOCKED -> EbDeployException.Kind.LOCKED;
      case INTERRUPTED -> EbDeployException.Kind.INTERRUPTED;
    };
  }

  public static DeployOutcome fromWireName(String name) {
    for (DeployOutcome o : values()) {
      if (o.wireName.equals(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown outcome " + name);
  }
}
