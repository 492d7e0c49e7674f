package io.ebdeploy.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentResult;
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
