package io.ebdeploy.notify;

import io.ebdeploy.api.DeployResult;
import java.util.Optional;

/** Maps a deploy's result to the words of the messages. */
final class Outcomes {
  private Outcomes() {}

  static DeployState.Outcome of(DeployResult r) {
    return r.succeeded() ? DeployState.Outcome.SUCCEEDED : DeployState.Outcome.FAILED;
  }

  static Optional<String> snapshot(DeployResult r) {
    return Optional.empty();
  }
}
