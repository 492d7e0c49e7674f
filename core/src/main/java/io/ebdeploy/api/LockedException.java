package io.ebdeploy.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Another deploy of the same application and group holds the lock: this one did nothing. The
 * message names the holder and how to remove a lock whose holder is known to be dead.
 */
public final class LockedException extends EbDeployException {
  private final transient LockInfo holder;
  private final String group;
  private final String application;

  public LockedException(String group, String application, LockInfo holder, String message) {
    super(Kind.LOCKED, message);
    this.holder = holder;
    this.group = group;
    this.application = application;
  }

  public LockInfo holder() {
    return holder;
  }

  public String group() {
    return group;
  }

  public String application() {
    return application;
  }

  /** The report of a locked run: {@code outcome: locked} and the holder. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("succeeded", false);
    m.put("outcome", DeployOutcome.LOCKED.wireName());
    m.put("failure", getMessage());
    m.put("group", group);
    m.put("application", application);
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("owner", holder.owner());
    h.put("host", holder.host());
    h.put("pid", holder.pid());
    h.put("ciRunUrl", holder.ciRunUrl().orElse(null));
    h.put("command", holder.command());
    h.put("label", holder.label());
    h.put("startedAt", holder.startedAt().toString());
    h.put("heartbeatAt", holder.heartbeatAt().toString());
    h.put("heartbeatAgeSeconds", Math.max(0, holder.heartbeatAge(Instant.now()).toSeconds()));
    h.put("ttlSeconds", holder.ttl().toSeconds());
    m.put("lock", h);
    return m;
  }
}
