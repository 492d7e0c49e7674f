package io.ebdeploy.deploy;

import io.ebdeploy.api.EbDeployException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often the deploy polls and how it sleeps. The interval starts at {@code initial}, grows by
 * half on each quiet tick up to {@code max}, and falls back to {@code initial} when anything
 * changed. Throttling doubles it, jittered, up to four times {@code max}.
 *
 * @param healthGrace how long an environment Ready on the label may show unaccepted health before
 *     it is judged failed
 */
record Pacing(Duration initial, Duration max, Duration healthGrace, Sleeper sleeper) {

  /** Sleeps; tests may replace it. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  static final Sleeper REAL_SLEEP = d -> Thread.sleep(Math.max(0, d.toMillis()));

  /**
   * Sleeps the whole duration whatever happens: for the rollback, which a cancellation or an
   * interrupt must not cut short (a busy loop would follow).
   */
  static final Sleeper STEADY_SLEEP =
      d -> {
        long end = System.nanoTime() + Math.max(0, d.toNanos());
        boolean interrupted = false;
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
          try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          org.slf4j.LoggerFactory.getLogger(Pacing.class)
              .debug("interrupt ignored while rolling back");
        }
      };

  /**
   * Sleeps until the time is up or the deploy is cancelled, whichever comes first. An interrupt of
   * the deploy's thread counts as a cancellation (and is cleared, so that the rollback's AWS calls
   * still work).
   */
  static Sleeper cancellable(io.ebdeploy.api.DeployControl control) {
    return d -> {
      try {
        control.awaitCancel(d);
      } catch (InterruptedException e) {
        control.cancel("the deploy's thread was interrupted");
      }
    };
  }

  /** The same intervals with another sleeper. */
  Pacing withSleeper(Sleeper other) {
    return new Pacing(initial, max, healthGrace, other);
  }

  Pacing {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw EbDeployException.invalidInput(
          "poll interval " + initial + " to " + max + " is invalid: use 0 < initial <= max");
    }
  }

  /** The next interval after a tick: back to the start on change, else half again, capped. */
  Duration next(Duration current, boolean changed) {
    if (changed) {
      return initial;
    }
    Duration grown = Duration.ofNanos(current.toNanos() + current.toNanos() / 2);
    return grown.compareTo(max) > 0 ? max : grown;
  }

  /** The wait after a throttled tick: doubled, with full jitter over its upper half. */
  Duration backoff(Duration current) {
    long cap = max.toNanos() * 4;
    long doubled = Math.min(cap, current.toNanos() * 2);
    long jittered = doubled / 2 + ThreadLocalRandom.current().nextLong(doubled / 2 + 1);
    return Duration.ofNanos(Math.max(initial.toNanos(), jittered));
  }

  void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EbDeployException(EbDeployException.Kind.INTERRUPTED, "interrupted", e);
    }
  }
}
