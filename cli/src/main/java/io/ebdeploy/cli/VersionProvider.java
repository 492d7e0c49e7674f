package io.ebdeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code eb-deploy --version}: the Maven project version and the git commit the jar was built from,
 * both written into {@code version.properties} at build time.
 */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "eb-deploy " + version() + commit().map(c -> " (commit " + c + ")").orElse(""),
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vendor")
          + "), "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch")
    };
  }

  /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return property("version").orElse("unknown");
  }

  /** {@code git describe --always --dirty} at build time, when git was there. */
  public static java.util.Optional<String> commit() {
    return property("commit");
  }

  private static java.util.Optional<String> property(String key) {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String value = p.getProperty(key, "").trim();
    // An unfiltered placeholder means the build did not know the value.
    return value.isEmpty() || value.startsWith("${")
        ? java.util.Optional.empty()
        : java.util.Optional.of(value);
  }
}
