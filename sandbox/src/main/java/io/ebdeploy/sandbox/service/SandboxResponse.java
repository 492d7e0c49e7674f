package io.ebdeploy.sandbox.service;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response. Headers keep their insertion order. */
public final class SandboxResponse {
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

  public static SandboxResponse of(int status, String contentType, byte[] body) {
    return new SandboxResponse(status, contentType, body);
  }

  public static SandboxResponse xml(int status, String xml) {
    return new SandboxResponse(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
  }

  public static SandboxResponse json(int status, String contentType, String json) {
    return new SandboxResponse(status, contentType, json.getBytes(StandardCharsets.UTF_8));
  }

  public static SandboxResponse empty(int status) {
    return new SandboxResponse(status, null, null);
  }

  public SandboxResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public byte[] body() {
    return body;
  }
}
