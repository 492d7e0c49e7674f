package io.ebdeploy.api;

/**
 * The deploy ran and did not succeed: at least one environment failed, reverted, timed out or never
 * started, or the application version could not be processed. {@link #result()} says which and how.
 */
public final class DeployFailedException extends EbDeployException {
  private final transient DeployResult result;

  public DeployFailedException(DeployResult result) {
    super(Kind.DEPLOY_FAILED, result.failure().orElse("the deploy failed"));
    this.result = result;
  }

  public DeployResult result() {
    return result;
  }
}
