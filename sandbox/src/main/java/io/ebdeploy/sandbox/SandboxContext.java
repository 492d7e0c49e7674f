package io.ebdeploy.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/** What every emulated service shares: settings, faults, and where state is kept. */
final class SandboxContext {
  /** The account every resource belongs to (the one moto and the AWS docs use in examples). */
  static final String ACCOUNT_ID = "123456789012";

  private final double timeScale;
  private final Path stateDir;
  private final Faults faults;

  SandboxContext(double timeScale, Path stateDir, Faults faults) {
    this.timeScale = timeScale;
    this.stateDir = stateDir;
    this.faults = faults;
  }

  /** Real time = simulated time x scale: 0.001 turns a 60 s deploy into 60 ms. */
  double timeScale() {
    return timeScale;
  }

  /** Scales a simulated duration to the real time it takes here. */
  Duration scaled(Duration simulated) {
    return Duration.ofNanos(Math.round(simulated.toNanos() * timeScale));
  }

  /** Where state persists across restarts, or null when it lives in memory only. */
  Path stateDir() {
    return stateDir;
  }

  Faults faults() {
    return faults;
  }
}
