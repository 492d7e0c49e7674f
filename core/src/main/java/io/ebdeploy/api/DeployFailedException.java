package io.ebdeploy.api;

/**
 * The deploy ran and did not succeed: at least one environment failed, reverted, timed out or never
 * started, the application version could not be processed, or it was cancelled. {@link #result()}
 * says which and how, and where the rollback left each environment. The {@link #kind()} follows the
 * result's {@link DeployResult#outcome() outcome}: {@code DEPLOY_FAILED} (rolled back), {@code
 * ROLLBACK_FAILED} or {@code INTERRUPTED}.
 */
public final class DeployFailedException extends EbDeployException {
  private final transient DeployResult result;

  public DeployFailedException(DeployResult result) {
    super(result.outcome().kind(), result.failure().orElse("the deploy failed"));
    this.result = result;
  }

  public DeployResult result() {
    return result;
  }
}
