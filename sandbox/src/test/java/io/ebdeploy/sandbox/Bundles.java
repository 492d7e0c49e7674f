package io.ebdeploy.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Source bundles for tests. */
final class Bundles {
  static final Map<String, String> VALID =
      Map.of(
          "application.py", "def application(environ, start_response): pass\n",
          ".ebextensions/01-app.config",
              "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    A: b\n");

  private Bundles() {}

  static Path write(Path zip, Map<String, String> files) throws IOException {
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
        z.putNextEntry(new ZipEntry(f.getKey()));
        z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return zip;
  }
}
