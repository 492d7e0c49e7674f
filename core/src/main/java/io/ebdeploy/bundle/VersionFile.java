package io.ebdeploy.bundle;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.ebdeploy.api.DeployConfig.VersionFileFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The version file written into the bundle (never into the working tree): what runs, from which
 * commit, deployed when and by whom, for the app to show (e.g. on {@code /health/}).
 */
final class VersionFile {
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:+@-]*");

  private VersionFile() {}

  static byte[] render(
      VersionFileFormat format, SourceVersion version, Instant deployedAt, String deployedBy) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("label", version.label());
    fields.put("commit", version.commit());
    fields.put(
        "deployed_at",
        DateTimeFormatter.ISO_INSTANT.format(deployedAt.truncatedTo(ChronoUnit.SECONDS)));
    fields.put("deployed_by", deployedBy);
    StringBuilder b = new StringBuilder();
    switch (format) {
      case JSON -> {
        b.append("{\n");
        int i = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
          b.append("  ").append(quote(field.getKey())).append(": ").append(quote(field.getValue()));
          b.append(++i < fields.size() ? ",\n" : "\n");
        }
        b.append("}\n");
      }
      case ENV ->
          fields.forEach((k, v) -> b.append(envName(k)).append('=').append(shell(v)).append('\n'));
      case PYTHON -> {
        b.append("# Written into the bundle by eb-deploy at deploy time; do not edit.\n");
        // JSON string literals are valid Python string literals.
        fields.forEach((k, v) -> b.append(envName(k)).append(" = ").append(quote(v)).append('\n'));
      }
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** label becomes VERSION (the name the reference apps use); the others are upper-cased. */
  private static String envName(String key) {
    return key.equals("label") ? "VERSION" : key.toUpperCase(java.util.Locale.ROOT);
  }

  private static String quote(String value) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }

  private static String shell(String value) {
    return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
