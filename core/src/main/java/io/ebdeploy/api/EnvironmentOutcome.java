package io.ebdeploy.api;

/** How one environment's deploy ended. */
public enum EnvironmentOutcome {
  /** Ready, on the target label, no failure event since the request, health accepted. */
  SUCCEEDED,
  /** A failure event, a refused UpdateEnvironment, or health not accepted in time. */
  FAILED,
  /** Beanstalk put it back on another label: never a success. */
  REVERTED,
  /** Its deploy timeout passed; the update was aborted (AbortEnvironmentUpdate). */
  TIMED_OUT,
  /** Never updated: the migrator failed first (policy web-first), or the deploy stopped earlier. */
  NOT_STARTED;

  public boolean succeeded() {
    return this == SUCCEEDED;
  }
}
