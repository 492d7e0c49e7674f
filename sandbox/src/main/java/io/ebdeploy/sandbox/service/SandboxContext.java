package io.ebdeploy.sandbox.service;

import java.nio.file.Path;
import java.time.Duration;

/** What every emulated service shares: settings, faults, and where state is kept. */
public final class SandboxContext {
  /** The account every resource belongs to (the one moto and the AWS docs use in examples). */
  public static final String ACCOUNT_ID = "123456789012";

  private final double timeScale;
  private final Path stateDir;
  private final Faults faults;

  public SandboxContext(double timeScale, Path stateDir, Faults faults) {
    this.timeScale = timeScale;
    this.stateDir = stateDir;
    this.faults = faults;
  }

  /** Real time = simulated time x scale: 0.001 turns a 60 s deploy into 60 ms. */
  public double timeScale() {
    return timeScale;
  }

  /** Scales a simulated duration to the real time it takes here. */
  public Duration scaled(Duration simulated) {
    return Duration.ofNanos(Math.round(simulated.toNanos() * timeScale));
  }

  /** Where state persists across restarts, or null when it lives in memory only. */
  public Path stateDir() {
    return stateDir;
  }

  public Faults faults() {
    return faults;
  }
}
