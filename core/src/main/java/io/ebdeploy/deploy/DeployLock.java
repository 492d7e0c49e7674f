package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployControl;
import io.ebdeploy.api.LockInfo;
import io.ebdeploy.api.LockedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deploy per application and group at a time: {@code lock.json} in the storage bucket, created
 * with {@code If-None-Match: *} (of two deploys started together exactly one creates it), kept
 * alive by a heartbeat on a background thread ({@code If-Match} on the lock's ETag), and deleted
 * with {@code If-Match} on every exit path, so a lock taken over by another deploy is never
 * released by its old owner.
 *
 * <p>A lock may be taken over, atomically ({@code If-Match} on the stale ETag), when its heartbeat
 * is older than the TTL, or at once when its holder ran in this machine's pid space and its process
 * is gone (a deploy killed with SIGKILL).
 */
final class DeployLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeployLock.class);

  private final GroupStore store;
  private final Map<String, Object> body;
  private final Clock clock;
  private final Duration ttl;
  private final LockInfo info;
  private final Optional<LockInfo> takenOverFrom;
  private final ScheduledExecutorService heartbeat;
  private final DeployControl control;
  private String etag;
  private boolean released;
  private volatile String lost;

  /** A lock as found in S3. */
  record Held(
      LockInfo info,
      String etag,
      String pidSpace,
      String pidStart,
      boolean unreadable,
      Instant lastModified) {}

  private DeployLock(
      GroupStore store,
      Map<String, Object> body,
      String etag,
      Clock clock,
      Duration ttl,
      Optional<LockInfo> takenOverFrom,
      DeployControl control) {
    this.store = store;
    this.body = body;
    this.etag = etag;
    this.clock = clock;
    this.ttl = ttl;
    this.info = info(body, ttl);
    this.takenOverFrom = takenOverFrom;
    this.control = control;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "eb-deploy-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = heartbeatInterval(ttl).toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  /** A quarter of the TTL, between 20 ms and one minute. */
  static Duration heartbeatInterval(Duration ttl) {
    long ms = Math.max(20, Math.min(60_000, ttl.toMillis() / 4));
    return Duration.ofMillis(ms);
  }

  /** The lock as it stands, read-only; empty when nobody holds it. */
  static Optional<Held> peek(GroupStore store, Duration ttl) {
    return store.read(GroupStore.LOCK).map(v -> held(v, ttl));
  }

  /**
   * Takes the lock, or throws {@link LockedException} naming its live holder.
   *
   * @param control cancelled when the lock is lost (taken over by another deploy)
   */
  static DeployLock acquire(
      GroupStore store,
      Identity me,
      String runId,
      String application,
      String group,
      String command,
      String label,
      Duration ttl,
      Clock clock,
      DeployControl control) {
    Held last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      Instant now = clock.instant();
      Map<String, Object> body = body(me, runId, application, group, command, label, ttl, now);
      try {
        String etag = store.create(GroupStore.LOCK, body);
        return new DeployLock(store, body, etag, clock, ttl, Optional.empty(), control);
      } catch (GroupStore.Conflict e) {
        // held: look at the holder
      }
      Optional<GroupStore.Versioned> current = store.read(GroupStore.LOCK);
      if (current.isEmpty()) {
        continue; // released in between: try again
      }
      last = held(current.get(), ttl);
      Optional<String> why = takeable(last, me, now);
      if (why.isEmpty()) {
        throw locked(group, application, last, now, ttl);
      }
      try {
        String etag = store.replace(GroupStore.LOCK, body, last.etag());
        LOG.warn(
            "took over the deploy lock of {} {} from {}: {}",
            application,
            group,
            last.info().describe(now),
            why.get());
        return new DeployLock(store, body, etag, clock, ttl, Optional.of(last.info()), control);
      } catch (GroupStore.Conflict e) {
        // someone else took it over first: look again
      }
    }
    throw locked(group, application, last, clock.instant(), ttl);
  }

  /** Why a lock may be taken over, or empty while its holder is presumed alive. */
  static Optional<String> takeable(Held h, Identity me, Instant now) {
    if (h.unreadable()) {
      return Duration.between(h.lastModified(), now).compareTo(h.info().ttl()) > 0
          ? Optional.of("the lock was unreadable and older than its TTL")
          : Optional.empty();
    }
    if (h.info().stale(now)) {
      return Optional.of(
          "its last heartbeat is "
              + h.info().heartbeatAge(now).toSeconds()
              + "s old, more than the TTL of "
              + FindEnvironmentsStep.human(h.info().ttl())
              + " (lock.ttl)");
    }
    if (me.knowsDead(h.pidSpace(), h.info().pid(), h.pidStart())) {
      return Optional.of("its process " + h.info().pid() + " on this machine is gone");
    }
    return Optional.empty();
  }

  static LockedException locked(
      String group, String application, Held h, Instant now, Duration ttl) {
    LockInfo holder =
        h == null
            ? new LockInfo("unknown", "unknown", 0, Optional.empty(), "deploy", "", now, now, ttl)
            : h.info();
    return new LockedException(
        group,
        application,
        holder,
        "the group "
            + group
            + " of "
            + application
            + " is locked by another deploy: "
            + holder.describe(now)
            + ". Wait for it to end. If it is dead, its lock may be taken over once its heartbeat is"
            + " older than "
            + FindEnvironmentsStep.human(holder.ttl())
            + " (lock.ttl), or remove it now: eb-deploy unlock "
            + group);
  }

  LockInfo info() {
    return info;
  }

  Optional<LockInfo> takenOverFrom() {
    return takenOverFrom;
  }

  /** Why the lock was lost (taken over while this deploy ran), if it was. */
  Optional<String> lost() {
    return Optional.ofNullable(lost);
  }

  private synchronized void beat() {
    if (released || lost != null) {
      return;
    }
    body.put("heartbeatAt", clock.instant().toString());
    try {
      etag = store.replace(GroupStore.LOCK, body, etag);
    } catch (GroupStore.Conflict e) {
      lost = "the deploy lock was taken over by another deploy (this one missed its heartbeats)";
      LOG.error("{}: {}", lost, e.getMessage());
      control.cancel(lost);
    } catch (RuntimeException e) {
      LOG.warn("lock heartbeat failed, will retry: {}", e.toString());
    }
  }

  /**
   * Stops the heartbeat and deletes the lock if it is still ours.
   *
   * @return what happened, for the LockReleased event
   */
  String release() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (released) {
        return "released";
      }
      released = true;
      if (lost != null) {
        return "not released: " + lost;
      }
      for (int attempt = 0; ; attempt++) {
        try {
          store.delete(GroupStore.LOCK, Optional.of(etag));
          return "released";
        } catch (GroupStore.Conflict e) {
          return "not released: it had been taken over by another deploy";
        } catch (RuntimeException e) {
          if (attempt >= 3) {
            throw e;
          }
          LOG.warn("releasing the lock failed, retrying: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    release();
  }

  static Map<String, Object> body(
      Identity me,
      String runId,
      String application,
      String group,
      String command,
      String label,
      Duration ttl,
      Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", runId);
    m.put("application", application);
    m.put("group", group);
    m.put("command", command);
    m.put("label", label);
    m.put("owner", me.owner());
    m.put("host", me.host());
    m.put("pid", me.pid());
    m.put("pidStart", me.pidStart());
    m.put("pidSpace", me.pidSpace());
    m.put("ciRunUrl", me.ciRunUrl().orElse(null));
    m.put("startedAt", now.toString());
    m.put("heartbeatAt", now.toString());
    m.put("ttlMillis", ttl.toMillis());
    return m;
  }

  private static Held held(GroupStore.Versioned v, Duration ttl) {
    Map<String, Object> b = v.body();
    boolean unreadable = b.containsKey("unreadable") || !b.containsKey("heartbeatAt");
    Duration theirs =
        b.get("ttlMillis") instanceof Number n ? Duration.ofMillis(n.longValue()) : ttl;
    Duration effective = theirs.compareTo(ttl) > 0 ? theirs : ttl;
    LockInfo info =
        unreadable
            ? new LockInfo(
                "unknown",
                "unknown",
                0,
                Optional.empty(),
                "deploy",
                "",
                v.lastModified(),
                v.lastModified(),
                effective)
            : info(b, effective);
    return new Held(
        info,
        v.etag(),
        Records.string(b, "pidSpace"),
        Records.string(b, "pidStart"),
        unreadable,
        v.lastModified());
  }

  private static LockInfo info(Map<String, Object> b, Duration ttl) {
    return new LockInfo(
        Records.string(b, "owner"),
        Records.string(b, "host"),
        b.get("pid") instanceof Number n ? n.longValue() : 0,
        Optional.ofNullable(Records.string(b, "ciRunUrl")).filter(s -> !s.isEmpty()),
        Records.string(b, "command"),
        Records.string(b, "label"),
        Records.instant(b, "startedAt"),
        Records.instant(b, "heartbeatAt"),
        ttl);
  }
}
