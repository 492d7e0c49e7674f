package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

class ExitCodesTest {
  private final ExitCodeMapper mapper = new ExitCodeMapper();

  @Test
  void descriptions_everyCode_listedOnceInNumericOrder() {
    assertThat(ExitCodes.descriptions().keySet().stream().map(String::trim))
        .containsExactly("0", "1", "2", "3", "4", "5", "6", "70", "130");
  }

  @Test
  void mapper_cliException_usesItsCode() {
    assertThat(mapper.getExitCode(new CliException(ExitCodes.LOCKED, "locked")))
        .isEqualTo(ExitCodes.LOCKED);
    assertThat(mapper.getExitCode(new RuntimeException(CliException.usage("bad"))))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void mapper_sdkException_isAwsError() {
    assertThat(mapper.getExitCode(SdkClientException.create("no route")))
        .isEqualTo(ExitCodes.AWS_ERROR);
  }

  @Test
  void mapper_interruption_isInterrupted() {
    assertThat(mapper.getExitCode(new InterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(mapper.getExitCode(AbortedException.create("aborted")))
        .isEqualTo(ExitCodes.INTERRUPTED);
  }

  @Test
  void mapper_unexpectedException_isInternalError() {
    assertThat(mapper.getExitCode(new IllegalStateException("bug")))
        .isEqualTo(ExitCodes.INTERNAL_ERROR);
  }

  @Test
  void execute_commandThrowsCliException_printsMessageOnlyAndExitsWithItsCode() {
    Run run = run(new Failing(new CliException(ExitCodes.LOCKED, "group staging is locked")));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.LOCKED);
    assertThat(run.err()).isEqualTo("eb-deploy: group staging is locked\n");
  }

  @Test
  void execute_commandThrowsSdkException_exitsAwsErrorWithMessage() {
    Run run = run(new Failing(SdkClientException.create("Unable to connect")));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.AWS_ERROR);
    assertThat(run.err()).isEqualTo("eb-deploy: AWS error: Unable to connect\n");
  }

  @Test
  void execute_commandHasBug_exitsInternalErrorAndPointsToVerbose() {
    Run run = run(new Failing(new IllegalStateException("oops")));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err())
        .startsWith("eb-deploy: internal error: IllegalStateException: oops")
        .contains("-v");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void execute_verboseAndBug_printsStackTrace() {
    Run run = run(new Failing(new IllegalStateException("oops")), "-v");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err()).contains("\tat ");
  }

  private static Run run(Object failing, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EbDeployCommand.commandLine(failing);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "fail";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString().replace(System.lineSeparator(), "\n"));
  }

  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    private final Exception exception;

    @Mixin VerbosityOption verbosity;

    Failing(Exception exception) {
      this.exception = exception;
    }

    @Override
    public Integer call() throws Exception {
      throw exception;
    }
  }
}
