package io.ebdeploy.sandbox.service;

import io.ebdeploy.sandbox.Fault;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** The injected faults still in force. Thread-safe. */
public final class Faults {
  private final List<Entry> entries = new ArrayList<>();

  private static final class Entry {
    final Fault fault;
    Integer remaining;
    long seen;

    Entry(Fault fault) {
      this.fault = fault;
      this.remaining = fault.count();
    }

    /** Spreads throttled calls evenly: exactly {@code fraction} of the calls seen, never a run. */
    boolean throttlesNext() {
      double f = fault.fraction();
      boolean hit = Math.floor((seen + 1) * f) > Math.floor(seen * f);
      seen++;
      return hit;
    }
  }

  public synchronized void add(Fault fault) {
    entries.add(new Entry(fault));
  }

  public synchronized void clear() {
    entries.clear();
  }

  public synchronized List<Fault> active() {
    List<Fault> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(
          e.remaining == null || e.remaining.equals(e.fault.count())
              ? e.fault
              : e.fault.times(e.remaining));
    }
    return out;
  }

  /**
   * The error an API call gets from an injected api-error or throttle fault, or null. The
   * throttling error is the one each service really answers with.
   */
  public synchronized ApiException callFault(String service, String action) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      Fault f = e.fault;
      ApiException error = null;
      if (f.kind() == Fault.Kind.API_ERROR
          && f.service().equals(service)
          && f.action().equals(action)) {
        error = new ApiException(f.status(), f.code(), "Injected fault: " + f.code());
      } else if (f.kind() == Fault.Kind.THROTTLE
          && (f.service() == null || f.service().equals(service))
          && e.throttlesNext()) {
        error = throttlingError(service);
      }
      if (error != null) {
        consume(it, e);
        return error;
      }
    }
    return null;
  }

  /** Takes one application of a fault of this kind whose target matches; false when none. */
  public synchronized boolean take(Fault.Kind kind, Predicate<Fault> matches) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.fault.kind() == kind && matches.test(e.fault)) {
        consume(it, e);
        return true;
      }
    }
    return false;
  }

  private static void consume(Iterator<Entry> it, Entry e) {
    if (e.remaining != null && --e.remaining <= 0) {
      it.remove();
    }
  }

  public static ApiException throttlingError(String service) {
    return switch (service) {
      case "s3" -> new ApiException(503, "SlowDown", "Please reduce your request rate.");
      case "tagging" -> new ApiException(400, "ThrottledException", "Rate exceeded");
      default -> new ApiException(400, "Throttling", "Rate exceeded");
    };
  }
}
