package io.ebdeploy.lint;

import java.util.Locale;

/** How bad a finding is: errors block a deploy, warnings do not (unless lint is strict). */
public enum Severity {
  ERROR,
  WARNING;

  /** {@code error} or {@code warning}, as printed and in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
