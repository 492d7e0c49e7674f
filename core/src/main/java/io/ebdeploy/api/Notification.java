package io.ebdeploy.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One Slack notification a deploy tried to send, as the report's {@code notifications} lists it. A
 * failed notification never changes the deploy's outcome. The error names the environment variable
 * the webhook URL or token came from, never its value.
 *
 * @param kind {@code start}, {@code update}, {@code end}, {@code details} (the failure thread
 *     reply) or {@code test}
 * @param ok whether Slack accepted it
 * @param error why not, e.g. {@code HTTP 500 from Slack (webhook from SLACK_WEBHOOK_URL)}
 */
public record Notification(String kind, boolean ok, Optional<String> error) {
  public Notification {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(error, "error");
  }

  public static Notification ok(String kind) {
    return new Notification(kind, true, Optional.empty());
  }

  public static Notification failed(String kind, String error) {
    return new Notification(kind, false, Optional.of(error));
  }

  /** As the report lists it: {@code kind}, {@code ok}, and {@code error} when it failed. */
  public java.util.Map<String, Object> toMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("kind", kind);
    m.put("ok", ok);
    error.ifPresent(e -> m.put("error", e));
    return m;
  }
}
