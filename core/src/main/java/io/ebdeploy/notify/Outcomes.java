package io.ebdeploy.notify;

import io.ebdeploy.api.DeployResult;
import java.util.Optional;

/** Maps a deploy's result to the words of the messages. */
final class Outcomes {
  private Outcomes() {}

  static DeployState.Outcome of(DeployResult r) {
    return switch (r.outcome()) {
      case SUCCEEDED -> DeployState.Outcome.SUCCEEDED;
      case ROLLED_BACK -> DeployState.Outcome.ROLLED_BACK;
      case ROLLBACK_FAILED -> DeployState.Outcome.ROLLBACK_FAILED;
      case LOCKED -> DeployState.Outcome.LOCKED;
      case INTERRUPTED -> DeployState.Outcome.INTERRUPTED;
    };
  }

  static Optional<String> snapshot(DeployResult r) {
    return r.snapshot();
  }
}
