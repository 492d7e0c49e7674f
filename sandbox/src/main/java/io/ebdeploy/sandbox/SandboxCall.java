package io.ebdeploy.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * One call the sandbox answered, as {@code GET /_sandbox/calls} lists it.
 *
 * @param params the request's parameters (form fields, JSON members, bucket and key); never bodies
 * @param status the HTTP status answered
 */
public record SandboxCall(
    Instant time, String service, String action, Map<String, Object> params, int status) {

  /** True for calls that change state: everything but Describe, List, Get and Head calls. */
  public boolean mutating() {
    return !(action.startsWith("Describe")
        || action.startsWith("List")
        || action.startsWith("Get")
        || action.startsWith("Head")
        || action.equals("CheckDNSAvailability"));
  }
}
