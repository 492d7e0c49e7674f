package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.EbDeployException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class ErrorHandlerTest {
  static final Set<String> COMMANDS =
      Set.of("deploy", "status", "plan", "bundle", "demo", "sandbox", "help");

  @Test
  void nearCommand_typos_recognised() {
    assertThat(ErrorHandler.nearCommand("sandbx", COMMANDS)).isTrue();
    assertThat(ErrorHandler.nearCommand("stauts", COMMANDS)).isTrue();
    assertThat(ErrorHandler.nearCommand("Status", COMMANDS)).isTrue();
    assertThat(ErrorHandler.nearCommand("deplyo", COMMANDS)).isTrue();
    assertThat(ErrorHandler.nearCommand("pln", COMMANDS)).isTrue();
  }

  @Test
  void nearCommand_usualGroupNames_notTakenForTypos() {
    for (String group :
        new String[] {
          "staging", "stage", "prod", "production", "dev", "test", "qa", "beta", "uat"
        }) {
      assertThat(ErrorHandler.nearCommand(group, COMMANDS)).as(group).isFalse();
    }
  }

  @Test
  void root_typoOfACommand_suggestedAndExplainsTheDeployForm() {
    Run run = Run.of("stauts", "staging");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("Did you mean: eb-deploy status?")
        .contains("To deploy a group named stauts, run: eb-deploy deploy stauts");
  }

  @Test
  void root_unknownOptionBeforeGroup_stillAnError() {
    Run run = Run.of("--bogus", "staging");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Unknown option", "'--bogus'");
  }

  @Test
  void help_root_showsBothForms() {
    Run run = Run.of("--help");

    assertThat(run.out())
        .contains("eb-deploy GROUP [OPTIONS]")
        .contains("deploy", "status", "plan", "bundle", "demo", "sandbox");
  }

  @Test
  void message_awsErrorWithoutCredentials_oneLineWithTheFix() {
    EbDeployException e =
        new EbDeployException(
            EbDeployException.Kind.AWS_ERROR,
            "GetTagValues failed (Unable to load credentials from any of the providers in the"
                + " chain AwsCredentialsProviderChain(credentialsProviders=[...]) :\n [...])",
            SdkClientException.create("Unable to load credentials"));

    String m = ErrorHandler.message(e, ExitCodes.AWS_ERROR, false);

    assertThat(m)
        .isEqualTo(
            "AWS error: GetTagValues failed: no AWS credentials found: set AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY, pass --profile NAME, or run 'aws configure' (any values"
                + " work against a sandbox)");
  }

  @Test
  void message_longSdkMessage_oneBoundedLine() {
    String m =
        ErrorHandler.message(
            SdkClientException.create("a\nb " + "x".repeat(2000)), ExitCodes.AWS_ERROR, false);

    assertThat(m).startsWith("AWS error: a b xxx").doesNotContain("\n").hasSizeLessThan(700);
  }

  @Test
  void redact_secrets_replaced() {
    assertThat(ErrorHandler.redact("cannot reach https://bob:s3cr3t@proxy.example:8080/x"))
        .isEqualTo("cannot reach https://***@proxy.example:8080/x");
    assertThat(ErrorHandler.redact("POST https://hooks.slack.com/services/T000/B000/XXXX failed"))
        .isEqualTo("POST https://hooks.slack.com/services/*** failed");
    assertThat(ErrorHandler.redact("token xoxb-1234-abcd refused"))
        .isEqualTo("token xoxb-*** refused".replace("xoxb", "xox?"));
    assertThat(ErrorHandler.redact("aws_secret_access_key=abc123 password: hunter2"))
        .isEqualTo("aws_secret_access_key=*** password: ***");
  }

  @Test
  void mapper_coreKinds_mapToTheirExitCodes() {
    ExitCodeMapper mapper = new ExitCodeMapper();
    assertThat(mapper.getExitCode(EbDeployException.invalidInput("x"))).isEqualTo(2);
    assertThat(mapper.getExitCode(new EbDeployException(EbDeployException.Kind.DEPLOY_FAILED, "x")))
        .isEqualTo(1);
    assertThat(
            mapper.getExitCode(new EbDeployException(EbDeployException.Kind.ROLLBACK_FAILED, "x")))
        .isEqualTo(3);
    assertThat(mapper.getExitCode(new EbDeployException(EbDeployException.Kind.LOCKED, "x")))
        .isEqualTo(4);
    assertThat(mapper.getExitCode(new EbDeployException(EbDeployException.Kind.AWS_ERROR, "x")))
        .isEqualTo(5);
    assertThat(mapper.getExitCode(new EbDeployException(EbDeployException.Kind.INTERRUPTED, "x")))
        .isEqualTo(130);
    assertThat(
            mapper.getExitCode(
                new EbDeployException(
                    EbDeployException.Kind.AWS_ERROR,
                    "x",
                    software.amazon.awssdk.core.exception.AbortedException.create("cut"))))
        .as("an AWS call cut short by Ctrl-C")
        .isEqualTo(130);
  }
}
