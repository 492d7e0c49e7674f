package io.ebdeploy.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of nginx's configuration syntax for lint: directives with their arguments, line and
 * block depth. Comments, quotes and escapes are honoured; blocks are not interpreted.
 */
final class Nginx {
  /**
   * One directive.
   *
   * @param depth 0 for the file's top level, 1 inside one block...
   */
  record Directive(String name, List<String> args, int line, int depth) {}

  private Nginx() {}

  static List<Directive> parse(String text) {
    List<Directive> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    int wordLine = 0;
    int depth = 0;
    int line = 1;
    StringBuilder word = null;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (c == '#' && word == null) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (c == '"' || c == '\'') {
        if (word == null) {
          word = new StringBuilder();
          if (words.isEmpty()) {
            wordLine = line;
          }
        }
        char quote = c;
        i++;
        while (i < text.length() && text.charAt(i) != quote) {
          char q = text.charAt(i);
          if (q == '\n') {
            line++;
          }
          if (q == '\\' && i + 1 < text.length()) {
            i++;
            q = text.charAt(i);
          }
          word.append(q);
          i++;
        }
        i++;
        continue;
      }
      if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        if (c == ';' || c == '{') {
          if (!words.isEmpty()) {
            out.add(
                new Directive(
                    words.get(0), List.copyOf(words.subList(1, words.size())), wordLine, depth));
          }
          words.clear();
          if (c == '{') {
            depth++;
          }
        } else if (c == '}') {
          words.clear();
          depth = Math.max(0, depth - 1);
        }
        i++;
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
        if (words.isEmpty()) {
          wordLine = line;
        }
      }
      if (c == '\\' && i + 1 < text.length()) {
        i++;
        c = text.charAt(i);
      }
      word.append(c);
      i++;
    }
    return out;
  }
}
