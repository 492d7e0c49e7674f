package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EbDeployCommandTest {
  @Test
  void help_rootCommand_listsEveryExitCode() {
    Run run = Run.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: eb-deploy", "sandbox", "Exit codes:");
    assertThat(run.out())
        .containsPattern("\\b0\\s+Success")
        .containsPattern("\\b1\\s+Deploy failed and was rolled back")
        .containsPattern("\\b2\\s+Usage or configuration error")
        .containsPattern("\\b3\\s+Deploy failed and so did the rollback")
        .containsPattern("\\b4\\s+Locked by another deploy")
        .containsPattern("\\b5\\s+AWS API error")
        .containsPattern("\\b6\\s+status: the environments run different versions")
        .containsPattern("\\b130\\s+Interrupted");
  }

  @Test
  void help_subcommand_listsExitCodesToo() {
    Run run = Run.of("sandbox", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: eb-deploy sandbox", "Exit codes:", "130");
  }

  @Test
  void help_helpCommandWithSubcommand_printsSubcommandUsage() {
    Run run = Run.of("help", "sandbox");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: eb-deploy sandbox", "--time-scale");
  }

  @Test
  void version_flag_printsMavenVersionAndJava() {
    Run run = Run.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("eb-deploy " + VersionProvider.version())
        .contains("Java " + System.getProperty("java.version"))
        .doesNotContain("${");
    assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void noCommand_noArgs_printsUsageOnStderrAndExitsUsage() {
    Run run = Run.of();

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("eb-deploy: missing a command", "Usage: eb-deploy");
  }

  @Test
  void unknownOption_root_exitsUsageWithMessage() {
    Run run = Run.of("--no-such-option");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("eb-deploy: Unknown option: '--no-such-option'")
        .contains("Try 'eb-deploy --help' for more information.");
  }

  @Test
  void unknownCommand_typo_suggestsTheCommand() {
    Run run = Run.of("sandbx");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Did you mean: eb-deploy sandbox?");
  }
}
