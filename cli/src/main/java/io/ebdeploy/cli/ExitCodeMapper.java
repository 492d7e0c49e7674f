package io.ebdeploy.cli;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import picocli.CommandLine;
import picocli.CommandLine.IExitCodeExceptionMapper;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps an exception that escaped a command to one of {@link ExitCodes}. Add core's exceptions here
 * as they appear (deploy failed, rollback failed, locked) rather than catching them in each
 * command.
 */
public final class ExitCodeMapper implements IExitCodeExceptionMapper {
  @Override
  public int getExitCode(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof CliException cli) {
        return cli.exitCode();
      }
      if (t instanceof CommandLine.ParameterException) {
        return ExitCodes.USAGE;
      }
      if (t instanceof InterruptedException
          || t instanceof ClosedByInterruptException
          || t instanceof AbortedException
          || (t instanceof InterruptedIOException
              && !(t instanceof java.net.SocketTimeoutException))) {
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
}
