package io.ebdeploy.api;

import java.nio.file.Path;

/** {@code eb-deploy.yml} (or an override) is invalid; the message names file, line and key. */
public final class ConfigException extends EbDeployException {
  private final Path file;
  private final int line;
  private final String key;

  /**
   * @param file the config file, or null for an environment variable or flag
   * @param line 1-based line, or 0 when unknown
   * @param key the dotted key path, e.g. {@code timeouts.deploy}
   */
  public ConfigException(Path file, int line, String key, String problem) {
    super(Kind.INVALID_INPUT, location(file, line, key) + problem);
    this.file = file;
    this.line = line;
    this.key = key;
  }

  private static String location(Path file, int line, String key) {
    StringBuilder b = new StringBuilder();
    if (file != null) {
      b.append(file);
      if (line > 0) {
        b.append(':').append(line);
      }
      b.append(": ");
    }
    if (key != null) {
      b.append(key).append(": ");
    }
    return b.toString();
  }

  public Path file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String key() {
    return key;
  }
}
