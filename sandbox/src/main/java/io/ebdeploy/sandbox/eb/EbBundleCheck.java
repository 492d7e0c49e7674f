package io.ebdeploy.sandbox.eb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What Beanstalk checks when it processes an application version ({@code Process=true}): the bundle
 * is a readable zip and every {@code .ebextensions/*.config} at its root parses as YAML or JSON
 * into a map.
 */
final class EbBundleCheck {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private EbBundleCheck() {}

  /** Null when the bundle passes, else the reason Beanstalk gives for FAILED. */
  static String check(byte[] bundle, String label) {
    if (bundle.length < 4
        || bundle[0] != 'P'
        || bundle[1] != 'K'
        || !((bundle[2] == 3 && bundle[3] == 4) || (bundle[2] == 5 && bundle[3] == 6))) {
      return "Unable to process application version "
          + label
          + ": the source bundle is not a valid ZIP file.";
    }
    Map<String, byte[]> configs = new TreeMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        String name = entry.getName();
        if (!entry.isDirectory()
            && name.startsWith(".ebextensions/")
            && name.endsWith(".config")
            && name.indexOf('/', ".ebextensions/".length()) < 0) {
          configs.put(name, zip.readAllBytes());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return "Unable to process application version "
          + label
          + ": the source bundle is not a valid ZIP file ("
          + e.getMessage()
          + ").";
    }
    for (Map.Entry<String, byte[]> c : configs.entrySet()) {
      String text = new String(c.getValue(), StandardCharsets.UTF_8);
      String yamlError;
      try {
        JsonNode node = YAML.readTree(text);
        if (node == null || node.isMissingNode() || node.isNull() || node.isObject()) {
          continue;
        }
        yamlError = "the top level must be a map of configuration keys";
      } catch (IOException e) {
        yamlError = firstLine(e.getMessage());
      }
      String jsonError;
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && node.isObject()) {
          continue;
        }
        jsonError = "the top level must be an object";
      } catch (IOException e) {
        jsonError = firstLine(e.getMessage());
      }
      return "The configuration file "
          + c.getKey()
          + " in application version "
          + label
          + " contains invalid YAML or JSON. YAML exception: Invalid Yaml: "
          + yamlError
          + ", JSON exception: Invalid JSON: "
          + jsonError
          + ". Update the configuration file.";
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
