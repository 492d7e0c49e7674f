package io.ebdeploy.lint;

import java.util.Arrays;
import java.util.Optional;

/**
 * What eb-deploy lint checks, one constant per rule. Ids are stable: they are printed, listed in
 * JSON and documented in docs/lint.md; a rule is never renumbered, only added. The severity here is
 * the usual one; a few rules lower it for a finding (docs/lint.md says when).
 */
public enum Rule {
  SYNTAX("EB001", "syntax", Severity.ERROR, "a configuration file that is not valid YAML or JSON"),
  DUPLICATE_KEY("EB002", "duplicate-key", Severity.ERROR, "a key given twice in one mapping"),
  UNKNOWN_KEY("EB003", "unknown-key", Severity.ERROR, "an unknown top-level key in a .config file"),
  UNKNOWN_NAMESPACE(
      "EB004", "unknown-namespace", Severity.ERROR, "an option namespace Beanstalk does not have"),
  OPTION_SETTINGS_SHAPE(
      "EB005",
      "option-settings-shape",
      Severity.ERROR,
      "option_settings in a shape Beanstalk refuses"),
  COMMAND_SHAPE(
      "EB006",
      "command-shape",
      Severity.ERROR,
      "a commands or container_commands entry Beanstalk refuses"),
  MIGRATION_NOT_LEADER_ONLY(
      "EB007",
      "migration-not-leader-only",
      Severity.ERROR,
      "a migration that runs on every instance"),
  MIGRATION_WITHOUT_ROLE_GUARD(
      "EB008",
      "migration-without-role-guard",
      Severity.ERROR,
      "a leader_only migration without the EB_DEPLOY_ROLE guard: web and worker both migrate"),
  LEADER_ONLY_WITH_TEST(
      "EB009",
      "leader-only-with-test",
      Severity.ERROR,
      "leader_only and test on one command: Beanstalk honours only one of them"),
  LEADER_ONLY_IGNORED(
      "EB010", "leader-only-ignored", Severity.WARNING, "leader_only where it does nothing"),
  IGNORED_FILE(
      "EB011",
      "ignored-file",
      Severity.WARNING,
      "a file Beanstalk never reads, by its name or place"),
  HOOK_NOT_EXECUTABLE(
      "EB012", "hook-not-executable", Severity.ERROR, "a platform hook without the executable bit"),
  HOOK_SHEBANG("EB013", "hook-shebang", Severity.ERROR, "a platform hook without a usable #! line"),
  CRON_INVALID("EB014", "cron-invalid", Severity.ERROR, "a cron.yaml the worker daemon refuses"),
  CRON_WITHOUT_WORKER(
      "EB015", "cron-without-worker", Severity.WARNING, "a cron.yaml in a group without a worker"),
  PROCFILE_EMPTY(
      "EB016", "procfile-empty", Severity.ERROR, "a Procfile that names no process that can run"),
  PROCFILE_NO_WEB("EB017", "procfile-no-web", Severity.WARNING, "a Procfile without a web process"),
  BUNDLE_TOO_BIG("EB018", "bundle-too-big", Severity.ERROR, "a bundle over Beanstalk's 500 MB"),
  BUNDLE_TOO_MANY_FILES(
      "EB019", "bundle-too-many-files", Severity.WARNING, "a bundle of more than 65,535 files"),
  NGINX_DUPLICATE_DIRECTIVE(
      "EB020",
      "nginx-duplicate-directive",
      Severity.ERROR,
      "an nginx directive the platform's nginx.conf already sets in that block"),
  NGINX_DIRECTIVE_OVERRIDDEN(
      "EB021",
      "nginx-directive-overridden",
      Severity.WARNING,
      "an nginx directive the platform's server block overrides"),
  NGINX_MISSING_INCLUDE(
      "EB022",
      "nginx-missing-include",
      Severity.ERROR,
      "a .platform/nginx/nginx.conf that drops the platform's generated locations"),
  BUNDLE_REFUSED(
      "EB023", "bundle-refused", Severity.ERROR, "a project eb-deploy refuses to bundle"),
  NOT_BUNDLED(
      "EB024",
      "not-bundled",
      Severity.WARNING,
      "a Beanstalk file on disk that the bundle leaves out (untracked, or excluded)");

  private final String id;
  private final String slug;
  private final Severity severity;
  private final String summary;

  Rule(String id, String slug, Severity severity, String summary) {
    this.id = id;
    this.slug = slug;
    this.severity = severity;
    this.summary = summary;
  }

  /** The stable id, {@code EB001}... */
  public String id() {
    return id;
  }

  /** The short name, {@code syntax}, {@code duplicate-key}... */
  public String slug() {
    return slug;
  }

  /** The usual severity; see docs/lint.md for the rules that lower it for some findings. */
  public Severity severity() {
    return severity;
  }

  /** One line saying what the rule finds. */
  public String summary() {
    return summary;
  }

  /** The rule with this id ({@code EB007}) or slug ({@code migration-not-leader-only}). */
  public static Optional<Rule> find(String idOrSlug) {
    return Arrays.stream(values())
        .filter(r -> r.id.equalsIgnoreCase(idOrSlug) || r.slug.equalsIgnoreCase(idOrSlug))
        .findFirst();
  }
}
