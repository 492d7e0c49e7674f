package io.ebdeploy.cli;

import io.ebdeploy.api.EbDeployException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import picocli.CommandLine;
import picocli.CommandLine.IExitCodeExceptionMapper;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps an exception that escaped a command to one of {@link ExitCodes}: core's {@link
 * EbDeployException} by its {@link EbDeployException.Kind}, here once rather than in each command.
 */
public final class ExitCodeMapper implements IExitCodeExceptionMapper {
  @Override
  public int getExitCode(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof CliException cli) {
        return cli.exitCode();
      }
      if (t instanceof EbDeployException e) {
        // An AWS call cut short by Ctrl-C reaches core as an SDK failure: still an interruption.
        return e.kind() == EbDeployException.Kind.AWS_ERROR && interrupted(e.getCause())
            ? ExitCodes.INTERRUPTED
            : of(e.kind());
      }
      if (t instanceof CommandLine.ParameterException) {
        return ExitCodes.USAGE;
      }
      if (isInterruption(t)) {
        return ExitCodes.INTERRUPTED;
      }
      if (t instanceof SdkException) {
        return ExitCodes.AWS_ERROR;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return ExitCodes.INTERNAL_ERROR;
  }

  private static boolean isInterruption(Throwable t) {
    return t instanceof InterruptedException
        || t instanceof ClosedByInterruptException
        || t instanceof AbortedException
        || (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException));
  }

  private static boolean interrupted(Throwable chain) {
    for (Throwable t = chain; t != null && t.getCause() != t; t = t.getCause()) {
      if (isInterruption(t)) {
        return true;
      }
    }
    return false;
  }

  /** The exit code of each kind of core failure. */
  static int of(EbDeployException.Kind kind) {
    return switch (kind) {
      case INVALID_INPUT -> ExitCodes.USAGE;
      case DEPLOY_FAILED -> ExitCodes.DEPLOY_FAILED;
      case ROLLBACK_FAILED -> ExitCodes.ROLLBACK_FAILED;
      case LOCKED -> ExitCodes.LOCKED;
      case AWS_ERROR -> ExitCodes.AWS_ERROR;
      case INTERRUPTED -> ExitCodes.INTERRUPTED;
    };
  }
}
