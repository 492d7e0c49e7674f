package io.ebdeploy.sandbox.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/** The one JSON mapper of the sandbox. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private Json() {}

  /** Parses a JSON object; a body that is not one is the caller's error, named as such. */
  public static Map<String, Object> object(byte[] body) {
    if (body.length == 0) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "SerializationException",
          "The request body is not a JSON object: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
