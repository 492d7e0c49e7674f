package io.ebdeploy.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure to rehearse, injected with {@link LocalBeanstalk#inject(Fault)} or {@code POST
 * /_sandbox/faults}. One-shot kinds (instance failure, hang, version processing failure, API error)
 * apply once unless {@link #times(int)} says otherwise; throttling lasts until cleared unless given
 * a count.
 */
public final class Fault {
  /** The kinds of fault, by their wire names. */
  public enum Kind {
    INSTANCE_FAILURE("instance-failure"),
    HANG("hang"),
    VERSION_PROCESSING_FAILURE("version-processing-failure"),
    THROTTLE("throttle"),
    API_ERROR("api-error");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    static Kind fromWireName(String name) {
      for (Kind k : values()) {
        if (k.wireName.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown fault kind '"
              + name
              + "': use instance-failure, hang, version-processing-failure, throttle or api-error");
    }
  }

  private final Kind kind;
  private final String environment;
  private final String label;
  private final double fraction;
  private final String service;
  private final String action;
  private final String code;
  private final int status;
  private final Integer count;

  private Fault(
      Kind kind,
      String environment,
      String label,
      double fraction,
      String service,
      String action,
      String code,
      int status,
      Integer count) {
    this.kind = kind;
    this.environment = environment;
    this.label = label;
    this.fraction = fraction;
    this.service = service;
    this.action = action;
    this.code = code;
    this.status = status;
    this.count = count;
  }

  /** The next deploy to the environment fails on its instances and Beanstalk reverts it. */
  public static Fault instanceFailure(String environment) {
    return new Fault(
        Kind.INSTANCE_FAILURE,
        required(environment, "environment"),
        null,
        0,
        null,
        null,
        null,
        0,
        1);
  }

  /** The next deploy to the environment never finishes until it is aborted. */
  public static Fault hang(String environment) {
    return new Fault(
        Kind.HANG, required(environment, "environment"), null, 0, null, null, null, 0, 1);
  }

  /** Processing the application version with this label ends FAILED. */
  public static Fault versionProcessingFailure(String label) {
    return new Fault(
        Kind.VERSION_PROCESSING_FAILURE, null, required(label, "label"), 0, null, null, null, 0, 1);
  }

  /** This share of AWS calls (0 to 1) is refused with the service's throttling error. */
  public static Fault throttle(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "throttle fraction " + fraction + " is out of range: use a number above 0 and at most 1");
    }
    return new Fault(Kind.THROTTLE, null, null, fraction, null, null, null, 0, null);
  }

  /** The next call of {@code action} on {@code service} fails with this error code and status. */
  public static Fault apiError(String service, String action, String code, int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException(
          "api-error status " + status + " is not an error status: use 400 to 599");
    }
    return new Fault(
        Kind.API_ERROR,
        null,
        null,
        0,
        required(service, "service"),
        required(action, "action"),
        required(code, "code"),
        status,
        1);
  }

  /** Limits a throttle to one service (elasticbeanstalk, tagging, s3). */
  public Fault onService(String service) {
    return new Fault(kind, environment, label, fraction, service, action, code, status, count);
  }

  /** How many times the fault applies. */
  public Fault times(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("fault count " + count + " must be at least 1");
    }
    return new Fault(kind, environment, label, fraction, service, action, code, status, count);
  }

  public Kind kind() {
    return kind;
  }

  public String environment() {
    return environment;
  }

  public String label() {
    return label;
  }

  public double fraction() {
    return fraction;
  }

  public String service() {
    return service;
  }

  public String action() {
    return action;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** How many times it still applies; null for unlimited. */
  public Integer count() {
    return count;
  }

  /** The fault in the JSON shape of {@code /_sandbox/faults}. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.wireName());
    m.put("environment", environment);
    m.put("label", label);
    m.put("fraction", kind == Kind.THROTTLE ? fraction : null);
    m.put("service", service);
    m.put("action", action);
    m.put("code", code);
    m.put("status", kind == Kind.API_ERROR ? status : null);
    m.put("count", count);
    m.values().removeIf(Objects::isNull);
    return m;
  }

  /**
   * Reads the JSON shape of {@code /_sandbox/faults}; throws IllegalArgumentException naming the
   * fix.
   */
  static Fault fromMap(Map<String, Object> m) {
    Object kindName = m.get("kind");
    if (!(kindName instanceof String)) {
      throw new IllegalArgumentException(
          "a fault needs \"kind\": one of instance-failure, hang, "
              + "version-processing-failure, throttle, api-error");
    }
    Fault f =
        switch (Kind.fromWireName((String) kindName)) {
          case INSTANCE_FAILURE -> instanceFailure(string(m, "environment"));
          case HANG -> hang(string(m, "environment"));
          case VERSION_PROCESSING_FAILURE -> versionProcessingFailure(string(m, "label"));
          case THROTTLE -> {
            Fault t = throttle(number(m, "fraction").doubleValue());
            yield m.get("service") == null ? t : t.onService(string(m, "service"));
          }
          case API_ERROR ->
              apiError(
                  string(m, "service"),
                  string(m, "action"),
                  m.get("code") == null ? "InternalFailure" : string(m, "code"),
                  m.get("status") == null ? 500 : number(m, "status").intValue());
        };
    return m.get("count") == null ? f : f.times(number(m, "count").intValue());
  }

  private static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof String) || ((String) v).isEmpty()) {
      throw new IllegalArgumentException(
          "fault " + m.get("kind") + " needs \"" + key + "\" as a non-empty string");
    }
    return (String) v;
  }

  private static Number number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(
          "fault " + m.get("kind") + " needs \"" + key + "\" as a number");
    }
    return (Number) v;
  }

  private static String required(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a fault needs a non-empty " + name);
    }
    return value;
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
