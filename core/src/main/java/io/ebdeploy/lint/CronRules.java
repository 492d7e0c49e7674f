package io.ebdeploy.lint;

import io.ebdeploy.api.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * {@code cron.yaml}, the worker daemon's periodic tasks: {@code version: 1} and a list of {@code
 * name}, {@code url}, {@code schedule} (five cron fields, UTC). Honoured only by worker
 * environments, and only at the bundle's root.
 */
final class CronRules {
  static final String FILE = "cron.yaml";
  static final List<String> TOP_KEYS = List.of("version", "cron");
  static final List<String> JOB_KEYS = List.of("name", "url", "schedule");

  private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

  private final Inventory inventory;
  private final Findings findings;

  private CronRules(Inventory inventory, Findings findings) {
    this.inventory = inventory;
    this.findings = findings;
  }

  static void check(Inventory inventory, Findings findings, LintOptions options) {
    CronRules rules = new CronRules(inventory, findings);
    for (Inventory.Item item : inventory.files()) {
      String name = item.name();
      if (name.equals(FILE)) {
        rules.cron(name);
        options
            .group()
            .filter(g -> !g.contains(Tier.WORKER))
            .ifPresent(
                g ->
                    findings.add(
                        name,
                        0,
                        Rule.CRON_WITHOUT_WORKER,
                        "cron.yaml is honoured only by worker environments and this group has"
                            + " none ("
                            + g.size()
                            + (g.size() == 1 ? " web environment)" : " web environments)")
                            + ": its jobs never run",
                        "deploy this bundle to a group with a worker, or drop cron.yaml"));
      } else if (name.equals("cron.yml")
          || name.endsWith("/" + FILE)
              && (name.startsWith(".ebextensions/") || name.startsWith(".platform/"))) {
        findings.read(name);
        findings.add(
            name,
            0,
            Rule.IGNORED_FILE,
            "the worker daemon reads only cron.yaml at the root of the bundle; this file is ignored",
            "move it to cron.yaml at the project's root");
      }
    }
  }

  private void cron(String file) {
    findings.read(file);
    String text;
    try {
      text = new String(inventory.read(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    Optional<Node> root = Yaml.parse(file, text, findings);
    if (root.isEmpty()) {
      return;
    }
    if (!(root.get() instanceof MappingNode top)) {
      error(file, Yaml.line(root.get()), "cron.yaml must be a mapping with version and cron");
      return;
    }
    for (Yaml.Entry e : Yaml.entries(top)) {
      if (!TOP_KEYS.contains(e.key())) {
        unknown(file, e, TOP_KEYS, "at the top level");
      }
    }
    Optional<Yaml.Entry> version = Yaml.get(top, "version");
    if (version.isEmpty()) {
      error(file, Yaml.line(top), "no version: cron.yaml must say 'version: 1'");
    } else if (!"1".equals(Yaml.scalar(version.get().value()))) {
      error(
          file,
          version.get().line(),
          "version is '" + show(version.get().value()) + "'; the only version is 1");
    }
    Optional<Yaml.Entry> cron = Yaml.get(top, "cron");
    if (cron.isEmpty() || Yaml.isEmpty(cron.get().value())) {
      error(
          file,
          cron.map(Yaml.Entry::line).orElse(Yaml.line(top)),
          "no jobs: cron.yaml needs a 'cron:' list of jobs");
      return;
    }
    if (!(cron.get().value() instanceof SequenceNode jobs)) {
      error(file, cron.get().line(), "cron must be a list of jobs ('- name: ...')");
      return;
    }
    Map<String, Integer> names = new HashMap<>();
    for (Node job : jobs.getValue()) {
      job(file, job, names);
    }
  }

  private void job(String file, Node job, Map<String, Integer> names) {
    if (!(job instanceof MappingNode m)) {
      error(file, Yaml.line(job), "a job must be a mapping with name, url and schedule");
      return;
    }
    for (Yaml.Entry e : Yaml.entries(m)) {
      if (!JOB_KEYS.contains(e.key())) {
        unknown(file, e, JOB_KEYS, "in a job");
      }
    }
    for (String key : JOB_KEYS) {
      Optional<Yaml.Entry> e = Yaml.get(m, key);
      if (e.isEmpty() || Yaml.isEmpty(e.get().value()) || Yaml.scalar(e.get().value()) == null) {
        error(file, Yaml.line(m), "a job without " + key + " (each job needs name, url, schedule)");
      }
    }
    Yaml.get(m, "name")
        .ifPresent(
            e -> {
              String jobName = Yaml.scalar(e.value());
              if (jobName == null || jobName.isEmpty()) {
                return;
              }
              Integer before = names.putIfAbsent(jobName, e.line());
              if (before != null) {
                error(
                    file,
                    e.line(),
                    "the job name '"
                        + jobName
                        + "' is used twice (first at line "
                        + before
                        + "); names must be unique");
              }
            });
    Yaml.get(m, "url")
        .ifPresent(
            e -> {
              String url = Yaml.scalar(e.value());
              if (url != null && !url.isEmpty() && !url.startsWith("/")) {
                error(
                    file,
                    e.line(),
                    "url '"
                        + url
                        + "' must be a path on the worker, starting with / (the daemon POSTs to"
                        + " the application on localhost)");
              }
            });
    Yaml.get(m, "schedule")
        .ifPresent(
            e -> {
              String schedule = Yaml.scalar(e.value());
              if (schedule != null && !schedule.isEmpty()) {
                schedule(schedule)
                    .ifPresent(
                        problem ->
                            error(
                                file,
                                e.line(),
                                "schedule '"
                                    + schedule
                                    + "' is not a cron expression: "
                                    + problem));
              }
            });
  }

  /** Why a five-field cron expression is invalid, or empty when it is valid. */
  static Optional<String> schedule(String schedule) {
    String[] fields = schedule.trim().split("\\s+");
    if (fields.length != 5) {
      return Optional.of(
          fields.length
              + (fields.length == 1 ? " field" : " fields")
              + ", cron needs 5 (minute hour day-of-month month day-of-week, in UTC)");
    }
    for (int i = 0; i < 5; i++) {
      Optional<String> p = field(fields[i], i);
      if (p.isPresent()) {
        return Optional.of(FIELDS[i] + " '" + fields[i] + "' " + p.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> field(String field, int index) {
    for (String part : field.split(",", -1)) {
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        String step = part.substring(slash + 1);
        if (!step.matches("\\d+") || Integer.parseInt(step) == 0) {
          return Optional.of("has a step that is not a positive number");
        }
        range = part.substring(0, slash);
      }
      if (range.equals("*")) {
        continue;
      }
      String[] bounds = range.split("-", -1);
      if (bounds.length > 2) {
        return Optional.of("is not a number, a range a-b, a list or */n");
      }
      int previous = -1;
      for (String bound : bounds) {
        Integer value = value(bound, index);
        if (value == null) {
          return Optional.of("is not a number, a range a-b, a list or */n");
        }
        if (value < RANGES[index][0] || value > RANGES[index][1]) {
          return Optional.of("is out of range " + RANGES[index][0] + "-" + RANGES[index][1]);
        }
        if (value < previous) {
          return Optional.of("has a range that goes backwards");
        }
        previous = value;
      }
    }
    return Optional.empty();
  }

  private static Integer value(String s, int index) {
    if (s.matches("\\d{1,2}")) {
      return Integer.parseInt(s);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (index == 3 && MONTHS.contains(lower)) {
      return MONTHS.indexOf(lower) + 1;
    }
    if (index == 4 && DAYS.contains(lower)) {
      return DAYS.indexOf(lower);
    }
    return null;
  }

  private void unknown(String file, Yaml.Entry e, List<String> keys, String where) {
    Optional<String> near = Closest.to(e.key(), keys);
    error(
        file,
        e.line(),
        "unknown key '"
            + e.key()
            + "' "
            + where
            + near.map(n -> " (did you mean '" + n + "'?)").orElse(""));
  }

  private void error(String file, int line, String message) {
    findings.add(
        file,
        line,
        Rule.CRON_INVALID,
        message,
        "see ebextensions/worker/cron.yaml: version: 1, then cron: a list of name, url, schedule");
  }

  private static String show(Node node) {
    String s = Yaml.scalar(node);
    return s == null ? "(not a value)" : s;
  }
}
