package io.ebdeploy.deploy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the JSON maps of the lock, record and history leniently: a missing field is empty. */
final class Records {
  private Records() {}

  static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }

  static Instant instant(Map<String, Object> m, String key) {
    try {
      return Instant.parse(string(m, key));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** A map of strings (environment to label), in its order. */
  static Map<String, String> labels(Map<String, Object> m, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    if (m.get(key) instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : v.toString()));
    }
    return out;
  }
}
