package io.ebdeploy.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Cancels a running deploy or rollback from another thread: a front end calls {@link
 * #cancel(String)} on SIGINT/SIGTERM, a test at the phase it rehearses. Thread-safe.
 *
 * <p>A cancelled deploy starts no new update, aborts the updates in progress
 * (AbortEnvironmentUpdate), returns every environment that is not on its previous label to it, and
 * ends with the outcome {@link DeployOutcome#INTERRUPTED} (or {@link DeployOutcome#ROLLBACK_FAILED}
 * when the group could not be made consistent again). Once the rollback has begun it is not
 * cancelled again: it runs to its verdict. Cancelling before the first change stops at once and
 * changes nothing.
 */
public final class DeployControl {
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private volatile String reason;

  /** Asks the deploy to stop; the first reason given is kept. */
  public void cancel(String reason) {
    synchronized (this) {
      if (this.reason == null) {
        this.reason = reason == null || reason.isBlank() ? "cancelled" : reason;
      }
    }
    cancelled.countDown();
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /** Why it was cancelled, e.g. {@code SIGINT}; empty while it was not. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * Waits up to {@code timeout} for a cancellation.
   *
   * @return true when cancelled (at once if it already was)
   */
  public boolean awaitCancel(Duration timeout) throws InterruptedException {
    return cancelled.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }
}
