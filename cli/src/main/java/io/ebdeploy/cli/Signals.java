package io.ebdeploy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets a long-running command stop cleanly on SIGINT (Ctrl-C) and SIGTERM: while a {@link Handle}
 * is open the signal interrupts the command's thread instead of shutting the JVM down, so the
 * command closes what it opened and returns its own exit code. A second signal exits at once with
 * {@link ExitCodes#INTERRUPTED}.
 *
 * <p>Only the real CLI process ({@link Main}) enables this; in tests and when embedded, {@link
 * #interruptOnSignal(Thread)} changes nothing and the JVM's default (shutdown hooks, exit 130/143)
 * stays.
 */
public final class Signals {
  private static final List<String> NAMES = List.of("INT", "TERM");
  private static volatile boolean enabled;

  private Signals() {}

  /** Called by {@link Main}: this JVM is the eb-deploy process and may take over its signals. */
  static void enable() {
    enabled = true;
  }

  /**
   * Until the handle is closed, SIGINT and SIGTERM interrupt {@code thread}. Without effect unless
   * {@link #enable()} was called, or when the JVM keeps the signals for itself ({@code -Xrs}).
   */
  public static Handle interruptOnSignal(Thread thread) {
    Handle handle = new Handle();
    if (!enabled) {
      return handle;
    }
    for (String name : NAMES) {
      try {
        Signal signal = new Signal(name);
        SignalHandler previous = Signal.handle(signal, s -> handle.onSignal(s.getName(), thread));
        handle.installed.add(new Installed(signal, previous));
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // The JVM keeps this signal (or the platform lacks it): its own shutdown stays in charge.
      }
    }
    return handle;
  }

  /** The signals taken over for one command; closing gives them back. */
  public static final class Handle implements AutoCloseable {
    private final List<Installed> installed = new ArrayList<>();
    private volatile String received;

    private Handle() {}

    private void onSignal(String name, Thread thread) {
      if (received != null) {
        System.err.println("eb-deploy: second SIG" + name + ", stopping at once");
        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
      }
      received = name;
      thread.interrupt();
    }

    /** The signal received, {@code INT} or {@code TERM}, if any. */
    public Optional<String> received() {
      return Optional.ofNullable(received);
    }

    @Override
    public void close() {
      for (Installed i : installed) {
        Signal.handle(i.signal(), i.previous());
      }
      installed.clear();
    }
  }

  private record Installed(Signal signal, SignalHandler previous) {}
}
