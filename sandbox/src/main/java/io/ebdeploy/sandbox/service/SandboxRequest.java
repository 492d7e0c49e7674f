package io.ebdeploy.sandbox.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One HTTP request as the emulated services see it: the body is read whole. */
public final class SandboxRequest {
  private static final Pattern CREDENTIAL_SCOPE =
      Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

  private final String method;
  private final String rawPath;
  private final String rawQuery;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Map<String, String> query;
  private final String region;
  private final String service;

  public SandboxRequest(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    this.method = method;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery == null ? "" : rawQuery;
    this.headers = lowerCaseKeys(headers);
    this.body = body;
    this.query = Collections.unmodifiableMap(parseForm(this.rawQuery));
    String scopeSource = header("authorization");
    if (scopeSource == null) {
      String presigned = query.get("X-Amz-Credential");
      scopeSource = presigned == null ? null : "Credential=" + presigned;
    }
    Matcher m = scopeSource == null ? null : CREDENTIAL_SCOPE.matcher(scopeSource);
    if (m != null && m.find()) {
      region = m.group(1);
      service = m.group(2);
    } else {
      // Unsigned requests (aws --no-sign-request, browsers) can only be S3.
      region = "us-east-1";
      service = "s3";
    }
  }

  public String method() {
    return method;
  }

  /** The path as sent, still percent-encoded. */
  public String rawPath() {
    return rawPath;
  }

  public String rawQuery() {
    return rawQuery;
  }

  /** Query string parameters, decoded; a key without a value maps to "". */
  public Map<String, String> query() {
    return query;
  }

  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public Map<String, List<String>> headers() {
    return headers;
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The region of the SigV4 credential scope. */
  public String region() {
    return region;
  }

  /** The service of the SigV4 credential scope: elasticbeanstalk, tagging, s3... */
  public String service() {
    return service;
  }

  /** Parses an application/x-www-form-urlencoded string; the last value of a key wins. */
  public static Map<String, String> parseForm(String form) {
    Map<String, String> out = new LinkedHashMap<>();
    if (form == null || form.isEmpty()) {
      return out;
    }
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decode(key), decode(value));
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> lowerCaseKeys(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return Collections.unmodifiableMap(out);
  }
}
