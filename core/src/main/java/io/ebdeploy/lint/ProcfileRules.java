package io.ebdeploy.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The root {@code Procfile}: one {@code name: command} per line. Beanstalk starts each process and
 * sends the web traffic (and the worker daemon's POSTs) to the one named {@code web}.
 */
final class ProcfileRules {
  static final String FILE = "Procfile";
  private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9_-]+)\\s*:(.*)$");

  private ProcfileRules() {}

  static void check(Inventory inventory, Findings findings) {
    for (Inventory.Item item : inventory.files()) {
      String name = item.name();
      if (name.equals(FILE)) {
        procfile(inventory, findings, name);
      } else if (name.equals("procfile") || name.equals("Procfile.txt")) {
        findings.read(name);
        findings.add(
            name,
            0,
            Rule.IGNORED_FILE,
            "Beanstalk reads only a file named exactly Procfile; this one is ignored",
            "rename it to Procfile");
      }
    }
  }

  private static void procfile(Inventory inventory, Findings findings, String file) {
    findings.read(file);
    String text;
    try {
      text = new String(inventory.read(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    Map<String, Integer> processes = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int number = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        findings.add(
            file,
            number,
            Rule.PROCFILE_EMPTY,
            "'" + line + "' is not a process line",
            "write 'name: command', e.g. 'web: gunicorn --bind :8000 mysite.wsgi:application'");
        continue;
      }
      String process = m.group(1);
      String command = m.group(2).strip();
      Integer before = processes.putIfAbsent(process, number);
      if (before != null) {
        findings.add(
            file,
            number,
            Rule.PROCFILE_EMPTY,
            "the process '" + process + "' is named twice (first at line " + before + ")",
            "give each process its own name");
      }
      if (command.isEmpty()) {
        findings.add(
            file,
            number,
            Rule.PROCFILE_EMPTY,
            "the process '" + process + "' has no command",
            "write the command after '" + process + ":'");
        continue;
      }
      program(inventory, findings, file, number, process, command);
    }
    if (processes.isEmpty()) {
      findings.add(
          file,
          0,
          Rule.PROCFILE_EMPTY,
          "the Procfile names no process: Beanstalk starts nothing and every request fails",
          "add 'web: COMMAND' (or delete the Procfile to use the platform's default)");
    } else if (!processes.containsKey("web")) {
      findings.add(
          file,
          0,
          Rule.PROCFILE_NO_WEB,
          "no process named web: Beanstalk sends the traffic (and a worker's queue messages) to"
              + " the web process, here "
              + String.join(", ", processes.keySet()),
          "name the process that serves HTTP 'web'");
    }
  }

  /** A command that runs a program from the bundle: is it there, and executable? */
  private static void program(
      Inventory inventory,
      Findings findings,
      String file,
      int line,
      String process,
      String command) {
    String first = command.split("\\s+")[0];
    if (first.contains("=")
        || first.startsWith("/")
        || first.startsWith("$")
        || first.startsWith("~")
        || !first.contains("/")) {
      return; // an environment assignment, an absolute path, or a program on PATH
    }
    String path = first.startsWith("./") ? first.substring(2) : first;
    java.util.Optional<Inventory.Item> program = inventory.find(path);
    if (program.isEmpty()) {
      findings.add(
          file,
          line,
          Rule.PROCFILE_EMPTY,
          "the process '" + process + "' runs " + first + ", which is not in the bundle",
          "commit " + path + " (or fix the path; it is relative to the bundle's root)");
    } else if (!program.get().executable() && !program.get().symlink()) {
      findings.add(
          file,
          line,
          Rule.PROCFILE_EMPTY,
          "the process '" + process + "' runs " + first + ", which is not executable",
          "chmod +x " + path + " && git add --chmod=+x " + path);
    }
  }
}
