package io.ebdeploy.sandbox;

import io.ebdeploy.sandbox.eb.EbApi;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.Faults;
import io.ebdeploy.sandbox.service.Json;
import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /_sandbox/*}: fault injection, simulated environment behaviour and the call log, in JSON,
 * for tests and for people rehearsing failures with curl.
 */
final class ControlApi {
  static final String PREFIX = "/_sandbox/";

  private final Faults faults;
  private final CallLog calls;
  private final EbApi eb;

  ControlApi(Faults faults, CallLog calls, EbApi eb) {
    this.faults = faults;
    this.calls = calls;
    this.eb = eb;
  }

  SandboxResponse handle(SandboxRequest request) {
    String path = request.rawPath().substring(PREFIX.length());
    String method = request.method();
    try {
      if (path.equals("faults")) {
        switch (method) {
          case "GET":
            return ok(faults.active().stream().map(Fault::toMap).toList());
          case "POST":
            Fault fault = Fault.fromMap(Json.object(request.body()));
            faults.add(fault);
            return json(201, fault.toMap());
          case "DELETE":
            faults.clear();
            return SandboxResponse.empty(204);
          default:
            return notAllowed(method, path);
        }
      }
      if (path.equals("calls")) {
        switch (method) {
          case "GET":
            StringBuilder lines = new StringBuilder();
            for (SandboxCall c : calls.snapshot()) {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("time", c.time().toString());
              m.put("service", c.service());
              m.put("action", c.action());
              m.put("params", c.params());
              m.put("status", c.status());
              lines.append(Json.write(m)).append('\n');
            }
            return SandboxResponse.json(200, "application/x-ndjson", lines.toString());
          case "DELETE":
            calls.clear();
            return SandboxResponse.empty(204);
          default:
            return notAllowed(method, path);
        }
      }
      if (path.startsWith("environments/") && path.length() > "environments/".length()) {
        if (!method.equals("PUT")) {
          return notAllowed(method, path);
        }
        String name =
            java.net.URLDecoder.decode(
                path.substring("environments/".length()), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> body = Json.object(request.body());
        for (String key : body.keySet()) {
          if (!key.equals("deploySeconds") && !key.equals("health")) {
            throw new IllegalArgumentException(
                "unknown member \"" + key + "\": an environment takes deploySeconds and health");
          }
        }
        Object seconds = body.get("deploySeconds");
        Object health = body.get("health");
        if (seconds != null && !(seconds instanceof Number)) {
          throw new IllegalArgumentException("deploySeconds must be a number of simulated seconds");
        }
        if (health != null && !(health instanceof String)) {
          throw new IllegalArgumentException("health must be Green, Yellow, Red or Grey");
        }
        eb.configureEnvironment(
            name, seconds == null ? null : ((Number) seconds).doubleValue(), (String) health);
        return ok(body);
      }
      return json(
          404,
          Map.of(
              "error",
              "no sandbox resource at /_sandbox/"
                  + path
                  + ": use /_sandbox/faults, /_sandbox/calls or /_sandbox/environments/NAME"));
    } catch (IllegalArgumentException e) {
      return json(400, Map.of("error", e.getMessage()));
    } catch (ApiException e) {
      return json(e.status(), Map.of("error", e.getMessage()));
    }
  }

  private static SandboxResponse ok(Object body) {
    return json(200, body);
  }

  private static SandboxResponse json(int status, Object body) {
    return SandboxResponse.json(status, "application/json", Json.write(body));
  }

  private static SandboxResponse notAllowed(String method, String path) {
    return json(405, Map.of("error", method + " is not allowed on /_sandbox/" + path));
  }
}
