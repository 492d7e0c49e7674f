package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.service.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The form parameters of a Query request, with Beanstalk's list and structure conventions. */
final class QueryParams {
  private final Map<String, String> form;

  QueryParams(Map<String, String> form) {
    this.form = form;
  }

  String get(String name) {
    String v = form.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String get(String name, String fallback) {
    String v = get(name);
    return v == null ? fallback : v;
  }

  String required(String name) {
    String v = get(name);
    if (v == null) {
      throw ApiException.missingParameter(name);
    }
    return v;
  }

  void length(String name, String value, int min, int max) {
    String member = Character.toLowerCase(name.charAt(0)) + name.substring(1);
    if (value.length() < min) {
      throw EbErrors.validation(
          "Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must have length greater than or equal to "
              + min);
    }
    if (value.length() > max) {
      throw EbErrors.validation(
          "Value '"
              + value
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must have length less than or equal to "
              + max);
    }
  }

  boolean bool(String name, boolean fallback) {
    String v = get(name);
    if (v == null) {
      return fallback;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw EbErrors.invalid("Invalid boolean value '" + v + "' for " + name + ".");
  }

  Long time(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        try {
          return Math.round(Double.parseDouble(v) * 1000);
        } catch (NumberFormatException e3) {
          throw EbErrors.invalid("Invalid timestamp '" + v + "' for " + name + ".");
        }
      }
    }
  }

  int maxRecords() {
    String v = get("MaxRecords");
    if (v == null) {
      return 1000;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw EbErrors.invalid("Invalid integer value '" + v + "' for MaxRecords.");
    }
    if (n < 1) {
      throw EbErrors.validation(
          "Value '"
              + n
              + "' at 'maxRecords' failed to satisfy constraint: Member must have value greater"
              + " than or equal to 1");
    }
    if (n > 1000) {
      throw EbErrors.validation(
          "Value '"
              + n
              + "' at 'maxRecords' failed to satisfy constraint: Member must have value less than"
              + " or equal to 1000");
    }
    return n;
  }

  /** {@code Name.member.1}, {@code Name.member.2}... in order. */
  List<String> list(String name) {
    List<String> out = new ArrayList<>();
    for (int i = 1; ; i++) {
      String v = form.get(name + ".member." + i);
      if (v == null) {
        return out;
      }
      out.add(v);
    }
  }

  Map<String, String> tags(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 1; ; i++) {
      String key = form.get(name + ".member." + i + ".Key");
      if (key == null) {
        return out;
      }
      String value = form.getOrDefault(name + ".member." + i + ".Value", "");
      out.put(key, value);
    }
  }

  List<Option> options(String name) {
    List<Option> out = new ArrayList<>();
    for (int i = 1; ; i++) {
      String prefix = name + ".member." + i + ".";
      String ns = form.get(prefix + "Namespace");
      String option = form.get(prefix + "OptionName");
      if (ns == null && option == null) {
        return out;
      }
      if (ns == null || option == null) {
        throw ApiException.badRequest(
            "InvalidParameterCombination",
            name + ".member." + i + " needs both Namespace and OptionName.");
      }
      out.add(
          new Option(ns, option, form.get(prefix + "Value"), form.get(prefix + "ResourceName")));
    }
  }

  List<Option> optionKeys(String name) {
    return options(name);
  }

  /** One page of a listing, and the token of the next page (null on the last). */
  record Page<T>(List<T> items, String nextToken) {}

  /** The page of {@code all} that MaxRecords and NextToken ask for. */
  <T> Page<T> page(List<T> all) {
    int max = maxRecords();
    int from = 0;
    String token = get("NextToken");
    if (token != null && !token.isEmpty()) {
      String[] parts = decodeToken(token).split(":");
      try {
        if (parts.length != 2 || !parts[0].equals("offset")) {
          throw EbErrors.invalidToken();
        }
        from = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw EbErrors.invalidToken();
      }
      if (from < 0 || from > all.size()) {
        throw EbErrors.invalidToken();
      }
    }
    int to = Math.min(all.size(), from + max);
    return new Page<>(
        new ArrayList<>(all.subList(from, to)),
        to < all.size() ? encodeToken("offset:" + to) : null);
  }

  static String encodeToken(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw EbErrors.invalidToken();
    }
  }
}
