package io.ebdeploy.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response. Headers keep their insertion order. */
final class SandboxResponse {
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] body;

  private SandboxResponse(int status, String contentType, byte[] body) {
    this.status = status;
    this.body = body == null ? new byte[0] : body;
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
  }

  static SandboxResponse of(int status, String contentType, byte[] body) {
    return new SandboxResponse(status, contentType, body);
  }

  static SandboxResponse xml(int status, String xml) {
    return new SandboxResponse(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
  }

  static SandboxResponse json(int status, String contentType, String json) {
    return new SandboxResponse(status, contentType, json.getBytes(StandardCharsets.UTF_8));
  }

  static SandboxResponse empty(int status) {
    return new SandboxResponse(status, null, null);
  }

  SandboxResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  byte[] body() {
    return body;
  }
}
