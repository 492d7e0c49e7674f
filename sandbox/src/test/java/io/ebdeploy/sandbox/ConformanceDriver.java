package io.ebdeploy.sandbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The conformance scenario's steps, implemented once per client (AWS SDK, AWS CLI). */
interface ConformanceDriver {
  record Env(String name, String tier, String status, String health, String label) {}

  record Event(String environment, String severity, String message) {}

  void createApplication(String app);

  void createEnvironment(String app, String env, String tier, Map<String, String> tags);

  List<Env> environments(String app);

  default Env environment(String app, String name) {
    return environments(app).stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no environment " + name));
  }

  List<String> environmentArnsTagged(String key, String value);

  void makeBucket(String bucket);

  void upload(Path file, String bucket, String key);

  void createVersion(String app, String label, String bucket, String key);

  /** The version's status as the wire carries it (PROCESSED, FAILED...). */
  String versionStatus(String app, String label);

  void updateEnvironment(String env, String label);

  void abort(String env);

  List<Event> events(String app, Instant since);

  void sync(Path dir, String bucket, String prefix);

  List<String> keys(String bucket, String prefix);

  /** Runs a call that must fail and returns the service's error code. */
  String errorCode(Runnable call);
}
