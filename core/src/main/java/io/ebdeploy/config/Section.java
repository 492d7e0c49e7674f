package io.ebdeploy.config;

import io.ebdeploy.api.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One mapping of {@code eb-deploy.yml}, read key by key. Every error names the file, the line and
 * the dotted key ({@code timeouts.deploy}, {@code static.cache[2].match}). A key whose value is
 * empty or {@code null} counts as absent, so it keeps its default.
 */
final class Section {
  private final Path file;
  private final String path;
  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private Section(Path file, String path, Node node, Set<String> allowed) {
    this.file = file;
    this.path = path;
    this.node = node;
    if (!(node instanceof MappingNode mapping)) {
      throw new ConfigException(
          file,
          line(node),
          path.isEmpty() ? null : path,
          "expected a mapping of keys to values, got " + describe(node));
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : null;
      if (key == null || !allowed.contains(key)) {
        throw new ConfigException(
            file, line(keyNode), dotted(String.valueOf(key)), unknownKey(key, allowed));
      }
      NodeTuple first = entries.putIfAbsent(key, tuple);
      if (first != null) {
        throw new ConfigException(
            file,
            line(keyNode),
            dotted(key),
            "duplicate key (first at line " + line(first.getKeyNode()) + "); keep one");
      }
    }
  }

  /** The top-level mapping; {@code allowed} are its keys, anything else is an error. */
  static Section root(Path file, Node node, Set<String> allowed) {
    return new Section(file, "", node, allowed);
  }

  private String unknownKey(String key, Set<String> allowed) {
    String where = path.isEmpty() ? "at the top level" : "in " + path;
    String nearest =
        key == null
            ? ""
            : allowed.stream()
                .filter(k -> distance(k, key) <= 2)
                .min(Comparator.comparingInt(k -> distance(k, key)))
                .map(k -> " (did you mean '" + k + "'?)")
                .orElse("");
    return "unknown key"
        + nearest
        + "; the keys allowed "
        + where
        + " are "
        + String.join(", ", allowed.stream().sorted().toList())
        + " (see docs/configuration.md)";
  }

  /** A nested mapping; empty when the key is absent. */
  Optional<Section> section(String key, Set<String> allowed) {
    return value(key).map(v -> new Section(file, dotted(key), v, allowed));
  }

  /** A list of mappings, e.g. {@code static.cache}. */
  Optional<List<Section>> sections(String key, Set<String> allowed) {
    return value(key)
        .map(
            v -> {
              List<Section> result = new ArrayList<>();
              List<Node> items = sequence(key, v);
              for (int i = 0; i < items.size(); i++) {
                result.add(new Section(file, dotted(key) + "[" + i + "]", items.get(i), allowed));
              }
              return result;
            });
  }

  /** A text value, parsed by {@code parse}; its IllegalArgumentException names the problem. */
  <T> Optional<T> scalar(String key, Function<String, T> parse) {
    return value(key).map(v -> parse(dotted(key), v, parse));
  }

  Optional<String> string(String key) {
    return scalar(key, Function.identity());
  }

  Optional<Boolean> bool(String key) {
    return value(key).map(v -> typed(key, v, Tag.BOOL, "true or false", Boolean::valueOf));
  }

  Optional<Integer> integer(String key) {
    return value(key).map(v -> typed(key, v, Tag.INT, "a whole number", Integer::valueOf));
  }

  /** A list of text values; a single value stands for a list of one. */
  <T> Optional<List<T>> list(String key, Function<String, T> parse) {
    return value(key)
        .map(
            v -> {
              if (v instanceof ScalarNode) {
                return List.of(parse(dotted(key), v, parse));
              }
              List<T> result = new ArrayList<>();
              List<Node> items = sequence(key, v);
              for (int i = 0; i < items.size(); i++) {
                result.add(parse(dotted(key) + "[" + i + "]", items.get(i), parse));
              }
              return result;
            });
  }

  /** An error about {@code key} (or this section when the key is absent), at its line. */
  ConfigException error(String key, String problem) {
    NodeTuple tuple = entries.get(key);
    int line = tuple != null ? line(tuple.getKeyNode()) : line(node);
    return new ConfigException(file, line, dotted(key), problem);
  }

  private Optional<Node> value(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null || isNull(tuple.getValueNode())) {
      return Optional.empty();
    }
    return Optional.of(tuple.getValueNode());
  }

  private List<Node> sequence(String key, Node value) {
    if (value instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    throw new ConfigException(
        file, line(value), dotted(key), "expected a list, got " + describe(value));
  }

  private <T> T parse(String dottedKey, Node value, Function<String, T> parse) {
    if (!(value instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.BOOL)) {
      throw new ConfigException(
          file,
          line(value),
          dottedKey,
          "expected text, got "
              + describe(value)
              + (value instanceof ScalarNode ? "; quote it" : ""));
    }
    try {
      return parse.apply(scalar.getValue());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file, line(value), dottedKey, e.getMessage());
    }
  }

  private <T> T typed(String key, Node value, Tag tag, String expected, Function<String, T> parse) {
    if (!(value instanceof ScalarNode scalar) || !scalar.getTag().equals(tag)) {
      throw new ConfigException(
          file, line(value), dotted(key), "expected " + expected + ", got " + describe(value));
    }
    try {
      return parse.apply(scalar.getValue().toLowerCase(java.util.Locale.ROOT));
    } catch (NumberFormatException e) {
      throw new ConfigException(
          file, line(value), dotted(key), "'" + scalar.getValue() + "' is out of range");
    }
  }

  private String dotted(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode scalar = (ScalarNode) node;
    String kind =
        scalar.getTag().equals(Tag.BOOL)
            ? "boolean"
            : scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT)
                ? "number"
                : "text";
    return kind + " '" + scalar.getValue() + "'";
  }

  /** Edit distance, for "did you mean" on a misspelt key. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
