package io.ebdeploy.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Every AWS call answered, in order. Thread-safe. */
final class CallLog {
  private final List<SandboxCall> calls = new ArrayList<>();

  synchronized void add(SandboxCall call) {
    calls.add(call);
  }

  synchronized List<SandboxCall> snapshot() {
    return List.copyOf(calls);
  }

  synchronized void clear() {
    calls.clear();
  }
}
