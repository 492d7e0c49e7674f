package io.ebdeploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Pretty-printed JSON for the documents the CLI writes itself (bundle, error reports). */
final class JsonOut {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOut() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a {@code --report} file whole or not at all (a temporary sibling, then a move); a
   * failure is said on {@code err} and never changes the command's outcome. Nothing when {@code
   * report} is null.
   */
  static void writeReport(Path report, String json, PrintWriter err) {
    if (report == null) {
      return;
    }
    Path file = report.toAbsolutePath();
    Path temp = file.resolveSibling(file.getFileName() + ".partial");
    try {
      Files.writeString(temp, json + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      err.println("eb-deploy: could not write the report " + report + ": " + e.getMessage());
      err.flush();
    }
  }
}
