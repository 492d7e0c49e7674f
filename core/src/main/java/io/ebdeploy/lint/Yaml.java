package io.ebdeploy.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a YAML (or JSON) file into nodes that keep their line numbers (snakeyaml-engine), reporting
 * syntax errors (EB001) and repeated keys (EB002) as findings.
 *
 * <p>Beanstalk reads these files with a YAML 1.1 parser that keeps the last of two equal keys
 * without a word, so a second {@code container_commands:} silently drops the first: that is why a
 * repeated key is an error here. Values are read as YAML 1.1 would for booleans ({@code yes},
 * {@code on} are true), see {@link #truthy}.
 */
final class Yaml {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One key of a mapping: the key's text and line, and its value. */
  record Entry(String key, int line, Node value) {}

  private Yaml() {}

  /** The document's root; empty when it does not parse (reported) or holds no document. */
  static Optional<Node> parse(String file, String text, Findings findings) {
    String trimmed = text.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JSON.readTree(text);
      } catch (JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        findings.add(
            file,
            Math.max(line, 0),
            Rule.SYNTAX,
            "not valid JSON: " + e.getOriginalMessage(),
            "fix the JSON (a trailing comma, a missing quote or brace), or write the file in YAML");
        return Optional.empty();
      }
    }
    LoadSettings settings =
        LoadSettings.builder().setLabel(file).setSchema(new CoreSchema()).setUseMarks(true).build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).orElse(-1) + 1;
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem().strip();
      findings.add(
          file,
          line,
          Rule.SYNTAX,
          "not valid YAML: " + context + problem,
          problem.contains("\\t") || problem.contains("'\t'") || problem.contains("tab")
              ? "indent with spaces: YAML does not allow tabs for indentation"
              : "fix the YAML at this line (indentation, a missing colon or quote)");
      return Optional.empty();
    } catch (YamlEngineException e) {
      findings.add(
          file,
          0,
          Rule.SYNTAX,
          "not valid YAML: " + e.getMessage(),
          "fix the YAML; one document per file");
      return Optional.empty();
    }
    root.ifPresent(r -> duplicates(file, r, findings, new IdentityHashMap<>()));
    return root;
  }

  /** Reports every key given twice in one mapping, anywhere in the tree (aliases once). */
  private static void duplicates(
      String file, Node node, Findings findings, IdentityHashMap<Node, Boolean> seen) {
    if (seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof MappingNode m) {
      Map<String, Integer> first = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        String key = scalar(t.getKeyNode());
        if (key != null && !key.equals("<<")) {
          Integer before = first.putIfAbsent(key, line(t.getKeyNode()));
          if (before != null) {
            findings.add(
                file,
                line(t.getKeyNode()),
                Rule.DUPLICATE_KEY,
                "'"
                    + key
                    + "' is given twice in this mapping (first at line "
                    + before
                    + "); Beanstalk keeps only this one and silently drops the first",
                "merge the two '" + key + "' entries into one");
          }
        }
        duplicates(file, t.getValueNode(), findings, seen);
      }
    } else if (node instanceof SequenceNode s) {
      for (Node item : s.getValue()) {
        duplicates(file, item, findings, seen);
      }
    }
  }

  /** The 1-based line where the node starts. */
  static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** The entries of a mapping, in order; merge keys ({@code <<}) left out. */
  static List<Entry> entries(MappingNode m) {
    List<Entry> out = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode());
      if (key == null || key.equals("<<")) {
        continue;
      }
      out.add(new Entry(key, line(t.getKeyNode()), t.getValueNode()));
    }
    return out;
  }

  /** The value of {@code key} in a mapping node, if it is one and has it. */
  static Optional<Entry> get(Node node, String key) {
    if (node instanceof MappingNode m) {
      List<Entry> all = entries(m);
      for (int i = all.size() - 1; i >= 0; i--) { // the last wins, as in Beanstalk
        if (all.get(i).key().equals(key)) {
          return Optional.of(all.get(i));
        }
      }
    }
    return Optional.empty();
  }

  /** A scalar's text; null for a mapping or a sequence. */
  static String scalar(Node node) {
    return node instanceof ScalarNode s ? s.getValue() : null;
  }

  /** Whether the node is null or an empty scalar ({@code key:} with nothing after it). */
  static boolean isEmpty(Node node) {
    return node == null || (node instanceof ScalarNode s && s.getValue().isEmpty());
  }

  private static final Set<String> TRUE = Set.of("true", "yes", "on", "y");

  /** A boolean as YAML 1.1 reads it (Beanstalk's parser): true, yes, on, y in any case. */
  static boolean truthy(Node node) {
    String s = scalar(node);
    return s != null && TRUE.contains(s.strip().toLowerCase(Locale.ROOT));
  }
}
