package io.ebdeploy.deploy;

import io.ebdeploy.api.InterruptedDeploy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of the run holding the lock, {@code deploy.json}, kept up to date so that a run killed
 * with SIGKILL leaves behind what the next one needs to converge the group: the target label, each
 * environment's previous label (written before the first UpdateEnvironment), which environments
 * were asked to update and when, and the phase ({@code preparing}, {@code deploying}, {@code
 * rolling-back}, {@code finished}). Deleted once the run's history entry is written.
 *
 * <p>Only the lock holder writes it. The write before the first update must succeed (else nothing
 * is updated); later writes are best effort (a failure is logged).
 */
final class DeployRecord {
  private static final Logger LOG = LoggerFactory.getLogger(DeployRecord.class);

  static final String PREPARING = "preparing";
  static final String DEPLOYING = "deploying";
  static final String ROLLING_BACK = "rolling-back";
  static final String FINISHED = "finished";

  private final GroupStore store;
  private final Map<String, Object> body;

  private DeployRecord(GroupStore store, Map<String, Object> body) {
    this.store = store;
    this.body = body;
  }

  /** Writes the record of a new run (phase preparing); throws when it cannot be written. */
  static DeployRecord start(
      GroupStore store,
      String id,
      String command,
      String application,
      String group,
      String label,
      Identity me,
      Instant now) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("id", id);
    b.put("command", command);
    b.put("application", application);
    b.put("group", group);
    b.put("label", label);
    b.put("owner", me.owner());
    b.put("host", me.host());
    b.put("ciRunUrl", me.ciRunUrl().orElse(null));
    b.put("startedAt", now.toString());
    b.put("updatedAt", now.toString());
    b.put("phase", PREPARING);
    b.put("previousLabels", new LinkedHashMap<String, String>());
    b.put("environmentIds", new LinkedHashMap<String, String>());
    b.put("requested", new LinkedHashMap<String, String>());
    DeployRecord r = new DeployRecord(store, b);
    store.put(GroupStore.RECORD, b);
    return r;
  }

  /** The record a killed run left, if any. */
  static Optional<Map<String, Object>> read(GroupStore store) {
    return store.read(GroupStore.RECORD).map(GroupStore.Versioned::body);
  }

  static InterruptedDeploy describe(Map<String, Object> b, Optional<String> convergedTo) {
    return new InterruptedDeploy(
        Records.string(b, "id"),
        Records.string(b, "command"),
        Records.string(b, "label"),
        Records.string(b, "owner"),
        Records.string(b, "host"),
        Records.instant(b, "startedAt"),
        Records.instant(b, "updatedAt"),
        Records.string(b, "phase"),
        Records.labels(b, "previousLabels"),
        convergedTo);
  }

  Map<String, Object> body() {
    return body;
  }

  String id() {
    return Records.string(body, "id");
  }

  /**
   * Each environment's label before the first update, written before it is sent (phase deploying);
   * throws when it cannot be written, so that no update is sent unrecorded.
   */
  void previousRelease(Map<String, String> labels, Map<String, String> ids, Instant now) {
    body.put("previousLabels", new LinkedHashMap<>(labels));
    body.put("environmentIds", new LinkedHashMap<>(ids));
    body.put("phase", DEPLOYING);
    body.put("updatedAt", now.toString());
    store.put(GroupStore.RECORD, body);
  }

  /** UpdateEnvironments are about to be sent to these environments (one wave): one write. */
  @SuppressWarnings("unchecked")
  void requested(List<String> environments, Instant now) {
    Map<String, String> m =
        (Map<String, String>) body.computeIfAbsent("requested", k -> new LinkedHashMap<>());
    environments.forEach(e -> m.put(e, now.toString()));
    body.put("updatedAt", now.toString());
    save();
  }

  void phase(String phase, Instant now) {
    body.put("phase", phase);
    body.put("updatedAt", now.toString());
    save();
  }

  /** The run ended: its outcome, kept until the history entry is written. */
  void finished(String outcome, Map<String, String> labelsAfter, Instant now) {
    body.put("phase", FINISHED);
    body.put("outcome", outcome);
    body.put("labelsAfter", new LinkedHashMap<>(labelsAfter));
    body.put("finishedAt", now.toString());
    body.put("updatedAt", now.toString());
    save();
  }

  /** Deleted once the history has the run. */
  void delete() {
    try {
      store.delete(GroupStore.RECORD, Optional.empty());
    } catch (RuntimeException e) {
      LOG.warn(
          "could not delete the deploy record {}: {}", store.key(GroupStore.RECORD), e.toString());
    }
  }

  static void delete(GroupStore store) {
    new DeployRecord(store, new LinkedHashMap<>()).delete();
  }

  private void save() {
    try {
      store.put(GroupStore.RECORD, body);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not update the deploy record {}: {}", store.key(GroupStore.RECORD), e.toString());
    }
  }

  /** The environments asked to update, with when. */
  static Map<String, Instant> requestedAt(Map<String, Object> b) {
    Map<String, Instant> out = new LinkedHashMap<>();
    Records.labels(b, "requested")
        .forEach(
            (env, at) -> {
              try {
                out.put(env, Instant.parse(at));
              } catch (RuntimeException e) {
                out.put(env, Instant.EPOCH);
              }
            });
    return out;
  }

  static List<String> environments(Map<String, Object> b) {
    return List.copyOf(Records.labels(b, "environmentIds").keySet());
  }
}
