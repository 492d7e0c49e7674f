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
   * The deploy ran and did not succeed: an environment failed, was reverted by Beanstalk, timed out
   * or was never started. The result says which label each environment runs.
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

  /** Interrupted (SIGINT, Ctrl-C): 128 + 2, as shells report it. */
  public static final int INTERRUPTED = 130;

  private static final Map<String, String> DESCRIPTIONS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    add(m, OK, "Success (deployed, or nothing to do).");
    add(m, DEPLOY_FAILED, "Deploy failed: an environment failed, reverted or timed out.");
    add(m, USAGE, "Usage or configuration error; nothing was changed.");
    add(m, ROLLBACK_FAILED, "Deploy failed and so did the rollback: check the environments.");
    add(m, LOCKED, "Locked by another deploy of the same group.");
    add(m, AWS_ERROR, "AWS API error (credentials, permissions, throttling, network).");
    add(m, VERSIONS_DIFFER, "status: the environments run different versions.");
    add(m, INTERNAL_ERROR, "Internal error (a bug): rerun with -v and report it.");
    add(m, INTERRUPTED, "Interrupted (Ctrl-C).");
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
