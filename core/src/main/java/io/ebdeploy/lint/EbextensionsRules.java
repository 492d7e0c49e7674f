package io.ebdeploy.lint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * {@code .ebextensions/*.config}: syntax, keys, option namespaces, command shapes, and migrations
 * that run more than once per group.
 */
final class EbextensionsRules {
  static final String DIR = ".ebextensions/";

  /** The keys a configuration file may have (Beanstalk ignores a file with any other). */
  static final List<String> TOP_KEYS =
      List.of(
          "option_settings",
          "packages",
          "sources",
          "files",
          "users",
          "groups",
          "commands",
          "container_commands",
          "services",
          "Resources",
          "Outputs");

  /** The keys of a commands or container_commands entry. */
  static final List<String> COMMAND_KEYS =
      List.of(
          "command", "env", "cwd", "test", "ignoreErrors", "leader_only", "waitAfterCompletion");

  /** The keys of an option_settings list item. */
  static final List<String> OPTION_KEYS =
      List.of("namespace", "option_name", "value", "resource_name");

  /** Extensions of files that were meant as configuration files but are not read. */
  private static final Set<String> CONFIG_LIKE = Set.of("yml", "yaml", "json", "conf", "cfg");

  /** Commands that migrate a database: Django, Rails, Laravel, Knex, Sequelize, Prisma... */
  static final Pattern MIGRATION =
      Pattern.compile(
          "\\bmigrate\\b|\\balembic\\s+upgrade\\b|\\bflask\\s+db\\s+upgrade\\b"
              + "|\\bliquibase\\b.*\\bupdate\\b|\\bflyway\\b.*\\bmigrate\\b",
          Pattern.CASE_INSENSITIVE);

  private final Inventory inventory;
  private final Findings findings;
  private final LintOptions options;

  private EbextensionsRules(Inventory inventory, Findings findings, LintOptions options) {
    this.inventory = inventory;
    this.findings = findings;
    this.options = options;
  }

  static void check(Inventory inventory, Findings findings, LintOptions options) {
    new EbextensionsRules(inventory, findings, options).run();
  }

  private void run() {
    for (Inventory.Item item : inventory.files()) {
      String name = item.name();
      if (!name.startsWith(DIR) || item.symlink()) {
        continue;
      }
      String rest = name.substring(DIR.length());
      if (rest.startsWith("nginx/")) {
        findings.read(name);
        findings.add(
            name,
            0,
            Rule.IGNORED_FILE,
            "only the retired Amazon Linux AMI platforms read .ebextensions/nginx/; Amazon Linux 2"
                + " and 2023 ignore it",
            "move it to .platform/nginx/" + rest.substring("nginx/".length()));
      } else if (!rest.contains("/")) {
        if (rest.endsWith(".config")) {
          config(name);
        } else if (configLike(rest) && !rest.equals(CronRules.FILE)) {
          findings.read(name);
          findings.add(
              name,
              0,
              Rule.IGNORED_FILE,
              "Beanstalk reads only .ebextensions/*.config; this file is never applied",
              "rename it to " + DIR + baseName(rest) + ".config");
        }
      }
    }
  }

  private static boolean configLike(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return CONFIG_LIKE.contains(ext) || fileName.contains(".config.");
  }

  private static String baseName(String fileName) {
    int i = fileName.indexOf(".config.");
    if (i > 0) {
      return fileName.substring(0, i);
    }
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }

  private void config(String file) {
    findings.read(file);
    String text;
    try {
      text = new String(inventory.read(file), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      findings.add(file, 0, Rule.SYNTAX, "cannot be read: " + e.getMessage(), "check the file");
      return;
    }
    Optional<Node> root = Yaml.parse(file, text, findings);
    if (root.isEmpty() || Yaml.isEmpty(root.get())) {
      return;
    }
    if (!(root.get() instanceof MappingNode top)) {
      findings.add(
          file,
          Yaml.line(root.get()),
          Rule.SYNTAX,
          "the top level is not a mapping of keys such as option_settings or container_commands",
          "start the file with a key, e.g. 'option_settings:'");
      return;
    }
    for (Yaml.Entry e : Yaml.entries(top)) {
      switch (e.key()) {
        case "option_settings" -> optionSettings(file, e);
        case "commands" -> commands(file, e, false);
        case "container_commands" -> commands(file, e, true);
        default -> {
          if (TOP_KEYS.contains(e.key())) {
            leaderOnlyElsewhere(file, e.key(), e.value());
          } else {
            unknownKey(file, e);
          }
        }
      }
    }
  }

  private void unknownKey(String file, Yaml.Entry e) {
    Optional<String> near = Closest.to(e.key(), TOP_KEYS);
    findings.add(
        file,
        e.line(),
        Rule.UNKNOWN_KEY,
        "unknown key '"
            + e.key()
            + "'"
            + near.map(n -> " (did you mean '" + n + "'?)").orElse("")
            + "; Beanstalk ignores a configuration file with an invalid key, all of it",
        near.map(n -> "write '" + n + "'")
            .orElse("use one of " + String.join(", ", TOP_KEYS) + ", or remove it"));
  }

  // option_settings ---------------------------------------------------------------------------

  private void optionSettings(String file, Yaml.Entry settings) {
    Node node = settings.value();
    if (Yaml.isEmpty(node)) {
      return;
    }
    if (node instanceof MappingNode m) {
      for (Yaml.Entry ns : Yaml.entries(m)) {
        namespace(file, ns.key(), ns.line());
        if (!Yaml.isEmpty(ns.value()) && !(ns.value() instanceof MappingNode)) {
          findings.add(
              file,
              Yaml.line(ns.value()),
              Rule.OPTION_SETTINGS_SHAPE,
              "the namespace '" + ns.key() + "' must map option names to values",
              "put each option on its own line, indented under the namespace: 'Name: value'");
        }
      }
    } else if (node instanceof SequenceNode s) {
      for (Node item : s.getValue()) {
        optionItem(file, item);
      }
    } else {
      findings.add(
          file,
          Yaml.line(node),
          Rule.OPTION_SETTINGS_SHAPE,
          "option_settings must be a mapping of namespaces or a list of options, not a single value",
          "write 'option_settings:' then 'namespace: {Option: value}' lines under it");
    }
  }

  private void optionItem(String file, Node item) {
    if (!(item instanceof MappingNode m)) {
      findings.add(
          file,
          Yaml.line(item),
          Rule.OPTION_SETTINGS_SHAPE,
          "an option_settings list item must be a mapping with option_name and value",
          "write '- namespace: ...', 'option_name: ...', 'value: ...'");
      return;
    }
    for (Yaml.Entry e : Yaml.entries(m)) {
      if (!OPTION_KEYS.contains(e.key())) {
        Optional<String> near = Closest.to(e.key(), OPTION_KEYS);
        findings.add(
            file,
            e.line(),
            Rule.OPTION_SETTINGS_SHAPE,
            "unknown key '"
                + e.key()
                + "' in an option_settings item"
                + near.map(n -> " (did you mean '" + n + "'?)").orElse(""),
            near.map(n -> "write '" + n + "'")
                .orElse("use namespace, option_name, value and resource_name only"));
      }
    }
    if (Yaml.get(m, "option_name").isEmpty()) {
      findings.add(
          file,
          Yaml.line(m),
          Rule.OPTION_SETTINGS_SHAPE,
          "an option_settings item without option_name",
          "add 'option_name: NAME' to this item");
    }
    Yaml.get(m, "namespace")
        .ifPresent(
            ns -> {
              String value = Yaml.scalar(ns.value());
              if (value != null && !value.isEmpty()) {
                namespace(file, value, Yaml.line(ns.value()));
              }
            });
  }

  private void namespace(String file, String namespace, int line) {
    Namespaces.check(namespace)
        .ifPresent(
            p ->
                findings.add(
                    file, line, Rule.UNKNOWN_NAMESPACE, p.severity(), p.message(), p.fix()));
  }

  // commands and container_commands -----------------------------------------------------------

  private void commands(String file, Yaml.Entry section, boolean container) {
    Node node = section.value();
    if (Yaml.isEmpty(node)) {
      return;
    }
    if (!(node instanceof MappingNode m)) {
      findings.add(
          file,
          Yaml.line(node),
          Rule.COMMAND_SHAPE,
          section.key() + " must map command names to commands",
          "write '  01_name:' then '    command: ...' under " + section.key() + ":");
      return;
    }
    for (Yaml.Entry cmd : Yaml.entries(m)) {
      command(file, section.key(), cmd, container);
    }
  }

  private void command(String file, String section, Yaml.Entry cmd, boolean container) {
    if (!(cmd.value() instanceof MappingNode m)) {
      findings.add(
          file,
          cmd.line(),
          Rule.COMMAND_SHAPE,
          "the " + section + " entry '" + cmd.key() + "' must be a mapping with a command",
          "write '    command: \"...\"' under '" + cmd.key() + ":'");
      return;
    }
    for (Yaml.Entry e : Yaml.entries(m)) {
      if (!COMMAND_KEYS.contains(e.key())) {
        Optional<String> near = Closest.to(e.key(), COMMAND_KEYS);
        findings.add(
            file,
            e.line(),
            Rule.COMMAND_SHAPE,
            "unknown key '"
                + e.key()
                + "' in the "
                + section
                + " entry '"
                + cmd.key()
                + "'"
                + near.map(n -> " (did you mean '" + n + "'?)").orElse("")
                + "; Beanstalk ignores a configuration file with an invalid key, all of it",
            near.map(n -> "write '" + n + "'")
                .orElse("use " + String.join(", ", COMMAND_KEYS) + " only"));
      }
    }
    Optional<Yaml.Entry> command = Yaml.get(m, "command");
    if (command.isEmpty() || Yaml.isEmpty(command.get().value())) {
      findings.add(
          file,
          cmd.line(),
          Rule.COMMAND_SHAPE,
          "the " + section + " entry '" + cmd.key() + "' has no command",
          "add '    command: \"...\"' to it");
      return;
    }
    String text = text(command.get().value());
    Optional<Yaml.Entry> leaderKey = Yaml.get(m, "leader_only");
    boolean leader = leaderKey.map(e -> Yaml.truthy(e.value())).orElse(false);
    Optional<Yaml.Entry> test = Yaml.get(m, "test");
    String testText = test.map(t -> text(t.value())).orElse("");

    if (!container && leaderKey.isPresent()) {
      findings.add(
          file,
          leaderKey.get().line(),
          Rule.LEADER_ONLY_IGNORED,
          "leader_only does nothing under commands: (only container_commands have a leader), so '"
              + cmd.key()
              + "' runs on every instance",
          "move '" + cmd.key() + "' to container_commands, or remove leader_only");
    }
    boolean migration = MIGRATION.matcher(text).find();
    if (migration) {
      migration(file, cmd, container, leader, text, testText);
    }
    if (container && leader && test.isPresent()) {
      boolean guard = roleGuard(testText);
      findings.add(
          file,
          test.get().line(),
          Rule.LEADER_ONLY_WITH_TEST,
          "'"
              + cmd.key()
              + "' has both leader_only and test; Beanstalk honours only one (its documentation:"
              + " \"a command can be leader-only or have a test, but not both\")"
              + (guard
                  ? ", so this role guard is ignored and the leader of every environment runs it"
                  : ", so this test may be ignored"),
          "keep leader_only and move the test into the command: 'if TEST; then COMMAND; fi'");
    }
  }

  private void migration(
      String file,
      Yaml.Entry cmd,
      boolean container,
      boolean leader,
      String text,
      String testText) {
    if (!container) {
      findings.add(
          file,
          cmd.line(),
          Rule.MIGRATION_NOT_LEADER_ONLY,
          "'"
              + cmd.key()
              + "' migrates in commands:, which run on every instance before the new version is"
              + " even unpacked",
          "move it to container_commands with leader_only: true and the EB_DEPLOY_ROLE guard"
              + " (ebextensions/README.md)");
      return;
    }
    if (!leader) {
      findings.add(
          file,
          cmd.line(),
          Rule.MIGRATION_NOT_LEADER_ONLY,
          "'"
              + cmd.key()
              + "' migrates without leader_only: true, so every instance of every environment"
              + " runs it, at the same time, on one database",
          "add 'leader_only: true' and the EB_DEPLOY_ROLE guard (ebextensions/README.md)");
      return;
    }
    if (roleGuard(text) || roleGuard(testText)) {
      return; // a guard only in test: is reported as leader-only-with-test
    }
    boolean single = options.group().map(g -> g.size() == 1).orElse(false);
    findings.add(
        file,
        cmd.line(),
        Rule.MIGRATION_WITHOUT_ROLE_GUARD,
        single ? Severity.WARNING : Severity.ERROR,
        "'"
            + cmd.key()
            + "' is leader_only but has no EB_DEPLOY_ROLE guard: leader_only picks one instance per"
            + " environment, so a web and a worker environment deployed from this bundle both"
            + " migrate, racing on one database"
            + (single ? " (this group has one environment today)" : ""),
        "run it only where eb-deploy set EB_DEPLOY_ROLE=web: command: 'if [ \"$EB_DEPLOY_ROLE\" ="
            + " web ]; then ...; fi' (ebextensions/django/01-django.config)");
  }

  /** Whether shell text tests EB_DEPLOY_ROLE against web. */
  static boolean roleGuard(String text) {
    return text.contains("EB_DEPLOY_ROLE") && text.contains("web");
  }

  /** A command's text: a scalar, or a list of arguments joined by spaces. */
  private static String text(Node node) {
    String s = Yaml.scalar(node);
    if (s != null) {
      return s;
    }
    List<String> parts = new ArrayList<>();
    if (node instanceof SequenceNode seq) {
      for (Node n : seq.getValue()) {
        String p = Yaml.scalar(n);
        if (p != null) {
          parts.add(p);
        }
      }
    }
    return String.join(" ", parts);
  }

  /** Reports leader_only keys in sections that have no leader (files, services...). */
  private void leaderOnlyElsewhere(String file, String section, Node node) {
    if (node instanceof MappingNode m) {
      for (Yaml.Entry e : Yaml.entries(m)) {
        if (e.key().equals("leader_only")) {
          findings.add(
              file,
              e.line(),
              Rule.LEADER_ONLY_IGNORED,
              "leader_only does nothing under " + section + ": (only container_commands have one)",
              "remove it, or run this as a container_commands entry with leader_only: true");
        }
        leaderOnlyElsewhere(file, section, e.value());
      }
    } else if (node instanceof SequenceNode s) {
      for (Node n : s.getValue()) {
        leaderOnlyElsewhere(file, section, n);
      }
    }
  }
}
