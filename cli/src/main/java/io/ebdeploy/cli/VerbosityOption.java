package io.ebdeploy.cli;

import picocli.CommandLine.Option;

/**
 * {@code -v/--verbose}, as a mixin: {@code -v} shows eb-deploy's debug log, {@code -vv} also the
 * AWS SDK's and the sandbox's. Log levels are set by {@link Main} before any logger exists (see
 * {@link Logging#verbosityOf(String[])}); this option declares it for parsing and help.
 */
public final class VerbosityOption {
  @Option(
      names = {"-v", "--verbose"},
      description = "Log more on stderr: -v eb-deploy's debug log, -vv also the AWS SDK's.")
  private boolean[] verbose = new boolean[0];

  /** How many times -v was given: 0, 1, 2... */
  public int verbosity() {
    return verbose.length;
  }

  public boolean isVerbose() {
    return verbose.length > 0;
  }
}
