package io.ebdeploy.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code .platform/}: hooks (executable, a #! line, in a phase directory) and nginx files against
 * the platform's own nginx.conf (Amazon Linux 2023; docs/lint.md).
 */
final class PlatformRules {
  static final List<String> PHASES = List.of("prebuild", "predeploy", "postdeploy");
  static final String NGINX = ".platform/nginx/";
  static final String NGINX_CONF = NGINX + "nginx.conf";
  static final String CONF_D = NGINX + "conf.d/";
  static final String SERVER_D = CONF_D + "elasticbeanstalk/";

  /**
   * What the platform's server block sets before it includes conf.d/elasticbeanstalk/*.conf: these
   * directives allow one occurrence per block, so a second one there stops nginx.
   */
  static final Set<String> SERVER_SET =
      Set.of(
          "gzip",
          "gzip_comp_level",
          "gzip_types",
          "client_header_timeout",
          "client_body_timeout",
          "keepalive_timeout");

  /** What the platform's http block sets before it includes conf.d/*.conf. */
  static final Set<String> HTTP_SET = Set.of("default_type", "server_tokens");

  private static final Pattern SERVER_INCLUDE =
      Pattern.compile("(/etc/nginx/)?conf\\.d/elasticbeanstalk/\\*\\.conf");

  private static final Pattern LEADER =
      Pattern.compile("\\bleader_only\\b|\\bEB_IS_COMMAND_LEADER\\b");

  private final Inventory inventory;
  private final Findings findings;

  private PlatformRules(Inventory inventory, Findings findings) {
    this.inventory = inventory;
    this.findings = findings;
  }

  static void check(Inventory inventory, Findings findings) {
    new PlatformRules(inventory, findings).run();
  }

  private void run() {
    boolean override = inventory.contains(NGINX_CONF);
    for (Inventory.Item item : inventory.files()) {
      String name = item.name();
      if (name.startsWith(".platform/hooks/")) {
        hook(item, ".platform/hooks/");
      } else if (name.startsWith(".platform/confighooks/")) {
        hook(item, ".platform/confighooks/");
      } else if (name.equals(NGINX_CONF)) {
        nginxConf(name);
      } else if (name.startsWith(CONF_D)) {
        confD(item, override);
      }
    }
  }

  // hooks -------------------------------------------------------------------------------------

  private void hook(Inventory.Item item, String base) {
    String name = item.name();
    String[] parts = name.substring(base.length()).split("/");
    if (parts.length == 1) {
      findings.read(name);
      findings.add(
          name,
          0,
          Rule.IGNORED_FILE,
          "hooks run only from a phase directory ("
              + String.join(", ", PHASES)
              + "); this never runs",
          "move it to " + base + "predeploy/ (or prebuild/, postdeploy/)");
      return;
    }
    if (!PHASES.contains(parts[0])) {
      findings.read(name);
      Optional<String> near = Closest.to(parts[0], PHASES);
      findings.add(
          name,
          0,
          Rule.IGNORED_FILE,
          "'"
              + parts[0]
              + "' is not a hook phase"
              + near.map(n -> " (did you mean '" + n + "'?)").orElse("")
              + "; Beanstalk runs only "
              + String.join(", ", PHASES)
              + ", so this never runs",
          "move it to " + base + near.orElse("predeploy") + "/");
      return;
    }
    if (parts.length > 2 || item.symlink()) {
      return; // a helper in a subdirectory (not run), or a link to the real script
    }
    findings.read(name);
    if (!item.executable()) {
      findings.add(
          name,
          0,
          Rule.HOOK_NOT_EXECUTABLE,
          "not executable: Beanstalk runs every file of "
              + base
              + parts[0]
              + "/ and this one fails with \"permission denied\"",
          "chmod +x " + name + " && git add --chmod=+x " + name);
    }
    byte[] content;
    try {
      content = inventory.read(name);
    } catch (IOException e) {
      return;
    }
    shebang(name, content);
    String text = new String(content, StandardCharsets.UTF_8);
    Matcher m = LEADER.matcher(text);
    if (m.find()) {
      findings.add(
          name,
          lineOf(text, m.start()),
          Rule.LEADER_ONLY_IGNORED,
          "platform hooks have no leader: "
              + m.group()
              + " means nothing here, every instance runs this hook",
          "run once-per-environment work as a container_commands entry with leader_only: true");
    }
  }

  private void shebang(String name, byte[] content) {
    if (content.length >= 4
        && content[0] == 0x7f
        && content[1] == 'E'
        && content[2] == 'L'
        && content[3] == 'F') {
      return; // a binary
    }
    int end = 0;
    while (end < content.length && content[end] != '\n') {
      end++;
    }
    String first = new String(content, 0, end, StandardCharsets.UTF_8);
    if (first.startsWith("\uFEFF")) {
      findings.add(
          name,
          1,
          Rule.HOOK_SHEBANG,
          "the file starts with a byte order mark, so the kernel does not see its #! line",
          "save it as UTF-8 without BOM");
    } else if (!first.startsWith("#!")) {
      findings.add(
          name,
          1,
          Rule.HOOK_SHEBANG,
          "no #! line: Beanstalk executes the file directly and it fails with \"exec format"
              + " error\"",
          "make the first line #!/bin/bash (or the interpreter it needs)");
    } else if (first.endsWith("\r")) {
      findings.add(
          name,
          1,
          Rule.HOOK_SHEBANG,
          "the #! line ends with a carriage return (Windows line endings): the interpreter is"
              + " looked up with a \\r in its name, \"bad interpreter: No such file or directory\"",
          "convert the file to Unix line endings (dos2unix, or git config core.autocrlf input)");
    } else {
      String interpreter = first.substring(2).strip();
      if (interpreter.isEmpty() || !interpreter.startsWith("/")) {
        findings.add(
            name,
            1,
            Rule.HOOK_SHEBANG,
            "the #! line names no absolute interpreter path: '" + first + "'",
            "write e.g. #!/bin/bash or #!/usr/bin/env python3");
      }
    }
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  // nginx -------------------------------------------------------------------------------------

  private Optional<String> text(String name) {
    findings.read(name);
    try {
      return Optional.of(new String(inventory.read(name), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void nginxConf(String name) {
    text(name)
        .ifPresent(
            t -> {
              boolean included =
                  Nginx.parse(t).stream()
                      .anyMatch(
                          d ->
                              d.name().equals("include")
                                  && d.args().size() == 1
                                  && SERVER_INCLUDE.matcher(d.args().get(0)).matches());
              if (!included) {
                findings.add(
                    name,
                    0,
                    Rule.NGINX_MISSING_INCLUDE,
                    "this nginx.conf replaces the platform's and never includes"
                        + " conf.d/elasticbeanstalk/*.conf: no proxy to the application, no static"
                        + " files, no health reporting",
                    "add 'include conf.d/elasticbeanstalk/*.conf;' inside the server block");
              }
            });
  }

  private void confD(Inventory.Item item, boolean override) {
    String name = item.name();
    String rest = name.substring(CONF_D.length());
    boolean server = rest.startsWith("elasticbeanstalk/");
    String fileName = rest.substring(rest.lastIndexOf('/') + 1);
    if (rest.indexOf('/') != rest.lastIndexOf('/') || (rest.contains("/") && !server)) {
      return; // not in a directory nginx includes from
    }
    findings.read(name);
    if (!fileName.endsWith(".conf")) {
      findings.add(
          name,
          0,
          Rule.IGNORED_FILE,
          "nginx includes only *.conf from "
              + (server ? SERVER_D : CONF_D)
              + "; this file is not read",
          "rename it to end in .conf");
      return;
    }
    if (override) {
      return; // the project's own nginx.conf decides what is set where
    }
    Optional<String> text = text(name);
    if (text.isEmpty()) {
      return;
    }
    for (Nginx.Directive d : Nginx.parse(text.get())) {
      if (d.depth() != 0) {
        continue;
      }
      if (server && SERVER_SET.contains(d.name())) {
        findings.add(
            name,
            d.line(),
            Rule.NGINX_DUPLICATE_DIRECTIVE,
            "'"
                + d.name()
                + "' is already set in the platform's server block, which includes this file:"
                + " nginx stops with \""
                + d.name()
                + "\" directive is duplicate",
            d.name().startsWith("gzip")
                ? "to turn gzip on, ship .platform/nginx/nginx.conf (platform/nginx/nginx.conf)"
                : "set it in a location block, or ship your own .platform/nginx/nginx.conf");
      } else if (!server && HTTP_SET.contains(d.name())) {
        findings.add(
            name,
            d.line(),
            Rule.NGINX_DUPLICATE_DIRECTIVE,
            "'"
                + d.name()
                + "' is already set in the platform's http block before it includes conf.d/*.conf:"
                + " nginx stops with \""
                + d.name()
                + "\" directive is duplicate",
            "remove it, or ship your own .platform/nginx/nginx.conf");
      } else if (!server && SERVER_SET.contains(d.name())) {
        findings.add(
            name,
            d.line(),
            Rule.NGINX_DIRECTIVE_OVERRIDDEN,
            "'"
                + d.name()
                + "' at http level never applies: the platform's server block sets its own",
            d.name().startsWith("gzip")
                ? "to turn gzip on, ship .platform/nginx/nginx.conf (platform/nginx/nginx.conf)"
                : "ship your own .platform/nginx/nginx.conf to change it");
      }
    }
  }
}
