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
