package io.ebdeploy.cli;

/**
 * A failure the user can act on, with the exit code to end on. Its message is printed as {@code
 * eb-deploy: MESSAGE} without a stack trace (the trace shows with {@code -v}), so write it for
 * people: what went wrong and what to do about it.
 */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** One of {@link ExitCodes}. */
  public int exitCode() {
    return exitCode;
  }

  /** A usage or configuration error: exit {@link ExitCodes#USAGE}, nothing changed. */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }
}
