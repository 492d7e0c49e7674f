package io.ebdeploy.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Prints a failure as one line on stderr, {@code eb-deploy: MESSAGE}, and picks its exit code with
 * {@link ExitCodeMapper}. Stack traces show only with {@code -v}, or for internal errors (bugs).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final IExitCodeExceptionMapper mapper;

  ErrorHandler(IExitCodeExceptionMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText("eb-deploy: " + ex.getMessage()));
    UnmatchedArgumentException.printSuggestions(ex, err);
    CommandSpec spec = cmd.getCommandSpec();
    err.printf("Try '%s --help' for more information.%n", spec.qualifiedName());
    err.flush();
    return spec.exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    int code = mapper.getExitCode(ex);
    PrintWriter err = cmd.getErr();
    boolean verbose = isVerbose(parseResult);
    String message;
    if (ex instanceof CliException) {
      message = ex.getMessage();
    } else if (code == ExitCodes.INTERRUPTED) {
      message = "interrupted";
    } else if (code == ExitCodes.AWS_ERROR) {
      message = "AWS error: " + describe(findSdkException(ex));
    } else {
      message =
          "internal error: "
              + describe(ex)
              + (verbose ? "" : " (run again with -v for the stack trace, and report it)");
    }
    err.println(cmd.getColorScheme().errorText("eb-deploy: " + message));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static Throwable findSdkException(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof SdkException) {
        return t;
      }
    }
    return ex;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getSimpleName()
        : t instanceof SdkException ? message : t.getClass().getSimpleName() + ": " + message;
  }

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
