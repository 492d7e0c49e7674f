package io.ebdeploy.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.CallStats;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.HistoryEntry;
import io.ebdeploy.api.InterruptedDeploy;
import io.ebdeploy.api.LockInfo;
import io.ebdeploy.api.RollbackReport;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of results: plain maps, times ISO-8601, durations in milliseconds. */
final class JsonShapes {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonShapes() {}

  static String write(Object shape) {
    try {
      return MAPPER.writeValueAsString(shape);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> bundle(BundleInfo b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", b.path() == null ? null : b.path().toString());
    m.put("sha256", b.sha256());
    m.put("size", b.size());
    m.put("fileCount", b.fileCount());
    m.put("bucket", b.bucket());
    m.put("key", b.key());
    return m;
  }

  static Map<String, Object> environment(EnvironmentInfo e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.name());
    m.put("id", e.id());
    m.put("application", e.application());
    m.put("tier", e.tier().name().toLowerCase(java.util.Locale.ROOT));
    m.put("versionLabel", e.versionLabel());
    m.put("status", e.status());
    m.put("health", e.health());
    m.put("platformArn", e.platformArn());
    return m;
  }

  static Map<String, Object> event(BeanstalkEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time().toString());
    m.put("environment", e.environment());
    m.put("severity", e.severity());
    m.put("message", e.message());
    return m;
  }

  static Map<String, Object> rollback(RollbackReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("succeeded", r.succeeded());
    m.put("reason", r.reason());
    m.put(
        "environments",
        r.environments().stream()
            .map(
                s -> {
                  Map<String, Object> e = new LinkedHashMap<>();
                  e.put("name", s.environment());
                  e.put("previousLabel", s.previousLabel());
                  e.put("labelBefore", s.labelBefore());
                  e.put("labelNow", s.labelNow());
                  e.put("outcome", s.outcome().wireName());
                  e.put("reason", s.reason().orElse(null));
                  return e;
                })
            .toList());
    m.put("instructions", r.instructions());
    return m;
  }

  static Map<String, Object> lock(LockInfo l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner", l.owner());
    m.put("host", l.host());
    m.put("pid", l.pid());
    m.put("ciRunUrl", l.ciRunUrl().orElse(null));
    m.put("command", l.command());
    m.put("label", l.label());
    m.put("startedAt", l.startedAt().toString());
    m.put("heartbeatAt", l.heartbeatAt().toString());
    m.put("ttlSeconds", l.ttl().toSeconds());
    m.put("stale", l.stale(java.time.Instant.now()));
    return m;
  }

  static Map<String, Object> interrupted(InterruptedDeploy d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("command", d.command());
    m.put("label", d.label());
    m.put("who", d.who());
    m.put("host", d.host());
    m.put("startedAt", d.startedAt().toString());
    m.put("updatedAt", d.updatedAt().toString());
    m.put("phase", d.phase());
    m.put("previousLabels", d.previousLabels());
    m.put("convergedTo", d.convergedTo().orElse(null));
    return m;
  }

  static Map<String, Object> history(HistoryEntry h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", h.id());
    m.put("command", h.command());
    m.put("label", h.label());
    m.put("outcome", h.outcome());
    m.put("startedAt", h.startedAt().toString());
    m.put("finishedAt", h.finishedAt().toString());
    m.put("who", h.who());
    m.put("ciRunUrl", h.ciRunUrl().orElse(null));
    m.put("previousLabels", h.previousLabels());
    m.put("labelsAfter", h.labelsAfter());
    m.put("consistentLabel", h.consistentLabel().orElse(null));
    m.put("reason", h.reason().orElse(null));
    m.put("recovered", h.recovered());
    return m;
  }

  static Map<String, Object> calls(CallStats c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calls", c.calls());
    m.put("attempts", c.attempts());
    m.put("retries", c.retries());
    m.put("failed", c.failed());
    return m;
  }

  static Map<String, Object> result(EnvironmentResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("id", r.id());
    m.put("tier", r.tier().name().toLowerCase(java.util.Locale.ROOT));
    m.put("role", r.role().value());
    m.put("migrator", r.migrator());
    m.put("outcome", r.outcome().name());
    m.put("reason", r.reason().orElse(null));
    m.put("labelBefore", r.labelBefore());
    m.put("labelAfter", r.labelAfter());
    m.put("status", r.status());
    m.put("health", r.health());
    m.put("requestedAt", r.requestedAt().map(Object::toString).orElse(null));
    m.put("durationMillis", r.duration().toMillis());
    List<Map<String, Object>> events = r.events().stream().map(JsonShapes::event).toList();
    m.put("events", events);
    return m;
  }
}
