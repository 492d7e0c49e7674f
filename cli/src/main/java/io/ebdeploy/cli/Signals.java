package io.ebdeploy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets a long-running command stop cleanly on SIGINT (Ctrl-C) and SIGTERM: while a {@link Handle}
 * is open the signal interrupts the command's thread instead of shutting the JVM down, so the
 * command closes what it opened and returns its own exit code. A second signal, sent more than
 * {@link #DUPLICATE_WINDOW_NANOS two seconds} after the first, exits at once with {@link
 * ExitCodes#INTERRUPTED}; one sooner is taken for the same request delivered twice ({@code timeout}
 * and some CI runners signal both the process and its process group).
 *
 * <p>Only the real CLI process ({@link Main}) enables this; in tests and when embedded, {@link
 * #interruptOnSignal(Thread)} changes nothing and the JVM's default (shutdown hooks, exit 130/143)
 * stays.
 */
public final class Signals {
  private static final List<String> NAMES = List.of("INT", "TERM");
  static final long DUPLICATE_WINDOW_NANOS = 2_000_000_000L;
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
    return onSignal(name -> thread.interrupt());
  }

  /**
   * Until the handle is closed, SIGINT and SIGTERM call {@code cancel} with {@code SIGINT} or
   * {@code SIGTERM} instead of interrupting a thread: for deploy and rollback, whose library stops
   * cleanly on {@code DeployControl.cancel} (it aborts updates in progress and rolls the group
   * back) where an interrupt could cut an AWS call in half. A second signal more than two seconds
   * later still exits at once with 130; the next run converges the group from its deploy record.
   */
  public static Handle cancelOnSignal(java.util.function.Consumer<String> cancel) {
    Handle h = onSignal(name -> cancel.accept("SIG" + name));
    h.onHalt =
        " (the group's lock and deploy record stay: the next deploy or rollback of the group"
            + " converges it first)";
    return h;
  }

  private static Handle onSignal(java.util.function.Consumer<String> action) {
    Handle handle = new Handle();
    if (!enabled) {
      return handle;
    }
    for (String name : NAMES) {
      try {
        Signal signal = new Signal(name);
        SignalHandler previous = Signal.handle(signal, s -> handle.onSignal(s.getName(), action));
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
    private volatile long receivedAt;
    private volatile String onHalt = "";

    private Handle() {}

    private synchronized void onSignal(String name, java.util.function.Consumer<String> action) {
      if (received != null) {
        if (System.nanoTime() - receivedAt < DUPLICATE_WINDOW_NANOS) {
          return;
        }
        System.err.println("eb-deploy: second SIG" + name + ", stopping at once" + onHalt);
        System.err.flush();
        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
      }
      receivedAt = System.nanoTime();
      received = name;
      action.accept(name);
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
