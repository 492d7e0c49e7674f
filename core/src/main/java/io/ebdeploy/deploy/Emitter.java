package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployListener;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to the listener; a listener's exception never stops the deploy. */
final class Emitter {
  private static final Logger LOG = LoggerFactory.getLogger(Emitter.class);

  private final DeployListener listener;
  private final Clock clock;

  Emitter(DeployListener listener, Clock clock) {
    this.listener = listener;
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  private boolean cancelAnnounced;

  /** Emits {@link DeployEvent.CancelRequested} once per run, whoever notices the cancellation. */
  synchronized void announceCancel(String reason) {
    if (!cancelAnnounced) {
      cancelAnnounced = true;
      emit(new DeployEvent.CancelRequested(now(), reason));
    }
  }

  void emit(DeployEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("deploy listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
    }
  }
}
