package io.ebdeploy.sandbox.service;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/** What every emulated service shares: settings, the clock, faults, and where state is kept. */
public final class SandboxContext {
  /** The account every resource belongs to (the one moto and the AWS docs use in examples). */
  public static final String ACCOUNT_ID = "123456789012";

  private final double timeScale;
  private final Path stateDir;
  private final Faults faults;
  private final LongSupplier clock;

  /**
   * @param clock real time in epoch milliseconds: the wall clock, or a clock a test steps by hand
   */
  public SandboxContext(double timeScale, Path stateDir, Faults faults, LongSupplier clock) {
    this.timeScale = timeScale;
    this.stateDir = stateDir;
    this.faults = faults;
    this.clock = clock;
  }

  /** Real time = simulated time x scale: 0.001 turns a 60 s deploy into 60 ms. */
  public double timeScale() {
    return timeScale;
  }

  /** Now, in epoch milliseconds: what every simulated duration is counted from. */
  public long now() {
    return clock.getAsLong();
  }

  /** The real milliseconds a simulated duration takes here. */
  public long scaledMillis(double simulatedSeconds) {
    return Math.round(simulatedSeconds * 1000 * timeScale);
  }

  /** Where state persists across restarts, or null when it lives in memory only. */
  public Path stateDir() {
    return stateDir;
  }

  public Faults faults() {
    return faults;
  }
}
