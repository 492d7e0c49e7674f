package io.ebdeploy.api;

/**
 * Receives a deploy's progress. Called on the thread running the deploy, in order; keep it quick.
 * An exception thrown here is ignored (the deploy goes on).
 */
@FunctionalInterface
public interface DeployListener {
  void onEvent(DeployEvent event);

  /** Ignores everything. */
  static DeployListener none() {
    return e -> {};
  }
}
