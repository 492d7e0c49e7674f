package io.ebdeploy.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every exit code eb-deploy returns, in one place. Commands return these from {@code call()} or
 * throw a {@link CliException} carrying one; {@link ExitCodeMapper} turns other exceptions into
 * them, and {@link EbDeployCommand#commandLine()} lists them under "Exit codes:" in every command's
 * {@code --help}. Scripts and CI jobs depend on these numbers: never renumber, only add.
 */
public final class ExitCodes {
  /** Success: deployed, or nothing to do. */
  public static final int OK = 0;

  /**
   * The deploy ran and did not succeed (an environment failed, was reverted by Beanstalk, timed out
   * or was never started), and every environment was returned to its previous label: the group is
   * consistent on its previous release.
   */
  public static final int DEPLOY_FAILED = 1;

  /** Bad command line, configuration or project: refused before anything changed. */
  public static final int USAGE = 2;

  /** The deploy failed and so did the rollback: environments may run different versions. */
  public static final int ROLLBACK_FAILED = 3;

  /** Another deploy holds the group's lock. */
  public static final int LOCKED = 4;

  /**
   * AWS (or the sandbox) refused or failed a call: credentials, permissions, throttling, network.
   */
  public static final int AWS_ERROR = 5;

  /** {@code status}: the group's environments do not all run the same version. */
  public static final int VERSIONS_DIFFER = 6;

  /** An eb-deploy bug: an unexpected exception. Run again with -v and report the stack trace. */
  public static final int INTERNAL_ERROR = 70;

  /**
   * Interrupted (SIGINT, Ctrl-C, SIGTERM): 128 + 2, as shells report it. A deploy interrupted after
   * its first change was rolled back first; if that rollback failed, the code is {@link
   * #ROLLBACK_FAILED} instead.
   */
  public static final int INTERRUPTED = 130;

  private static final Map<String, String> DESCRIPTIONS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    add(m, OK, "Success (deployed, or nothing to do).");
    add(
        m,
        DEPLOY_FAILED,
        "Deploy failed and was rolled back: the group runs its previous release.");
    add(m, USAGE, "Usage or configuration error; nothing was changed.");
    add(m, ROLLBACK_FAILED, "Deploy failed and so did the rollback: run the command it prints.");
    add(m, LOCKED, "Locked by another deploy of the group (named); nothing was done.");
    add(m, AWS_ERROR, "AWS API error (credentials, permissions, throttling, network).");
    add(m, VERSIONS_DIFFER, "status: the environments run different versions.");
    add(m, INTERNAL_ERROR, "Internal error (a bug): rerun with -v and report it.");
    add(m, INTERRUPTED, "Interrupted (Ctrl-C, SIGTERM); a started deploy was rolled back.");
    DESCRIPTIONS = Collections.unmodifiableMap(m);
  }

  private ExitCodes() {}

  private static void add(Map<String, String> m, int code, String text) {
    m.put(String.format("%3d", code), text);
  }

  /**
   * The codes for picocli's {@code exitCodeList}: keys are the right-aligned numbers, values their
   * meaning, in numeric order.
   */
  public static Map<String, String> descriptions() {
    return DESCRIPTIONS;
  }
}
