package io.ebdeploy.lint;

import java.util.Objects;

/**
 * One problem lint found.
 *
 * @param file the file, relative to the project (as in the bundle, '/'-separated); empty for the
 *     bundle as a whole
 * @param line the 1-based line, or 0 for the whole file
 * @param rule what was checked
 * @param severity error or warning (usually the rule's own)
 * @param message what is wrong, naming the value
 * @param fix what to do about it
 */
public record Finding(
    String file, int line, Rule rule, Severity severity, String message, String fix) {
  public Finding {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fix, "fix");
  }

  /** The rule's id, {@code EB007}. */
  public String ruleId() {
    return rule.id();
  }

  /** {@code file:line}, {@code file} for a whole file, {@code bundle} for the bundle. */
  public String location() {
    if (file.isEmpty()) {
      return "bundle";
    }
    return line > 0 ? file + ":" + line : file;
  }

  /**
   * {@code .ebextensions/x.config:12: error EB007 migration-not-leader-only: message (fix: ...)}.
   */
  @Override
  public String toString() {
    return location()
        + ": "
        + severity.label()
        + " "
        + rule.id()
        + " "
        + rule.slug()
        + ": "
        + message
        + " (fix: "
        + fix
        + ")";
  }
}
