package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StatusCommandTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";

  CliSandbox sb;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  /** Puts one environment on a label of its own, directly through the SDK. */
  private void deployDirectly(String env, String label) {
    if (sb.eb
        .describeApplicationVersions(b -> b.applicationName(APP).versionLabels(label))
        .applicationVersions()
        .isEmpty()) {
      sb.eb.createApplicationVersion(b -> b.applicationName(APP).versionLabel(label));
    }
    sb.eb.updateEnvironment(b -> b.environmentName(env).versionLabel(label));
    CliSandbox.sleep(5);
    sb.awaitReady(env);
  }

  @Test
  void status_sameLabel_tableAndExitZero() {
    deployDirectly(WEB, "v1");
    deployDirectly(WORKER, "v1");
    sb.sandbox.clearCalls();

    Run r = sb.run("status", "staging");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Group staging (Iaso): 2 environments")
        .containsPattern("ENVIRONMENT +TIER +LABEL +STATUS +HEALTH")
        .containsPattern(WEB + " +web +v1 +Ready +Green")
        .containsPattern(WORKER + " +worker +v1 +Ready +Green")
        .contains("All 2 run v1.");
    assertThat(sb.mutatingCalls()).isEmpty();
  }

  @Test
  void status_labelsDiffer_exitSixNamingEach() {
    deployDirectly(WEB, "v2");
    deployDirectly(WORKER, "v1");

    Run r = sb.run("status", "staging");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.VERSIONS_DIFFER);
    assertThat(r.out())
        .contains("The environments run different versions: v2 on " + WEB + "; v1 on " + WORKER);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void status_outputJson_parsesAndStillExitsSix() throws Exception {
    deployDirectly(WEB, "v2");

    Run r = sb.run("status", "staging", "--output", "json");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.VERSIONS_DIFFER);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("group").asText()).isEqualTo("staging");
    assertThat(json.get("labelsDiffer").asBoolean()).isTrue();
    assertThat(json.get("environments")).hasSize(2);
    assertThat(json.get("environments").get(0).get("name").asText()).isEqualTo(WEB);
    assertThat(json.get("environments").get(0).get("versionLabel").asText()).isEqualTo("v2");
    assertThat(json.get("environments").get(1).get("tier").asText()).isEqualTo("worker");
  }

  @Test
  void status_environmentName_worksAsAGroup() {
    Run r = sb.run("status", WORKER);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 environment").contains("It runs (none).");
  }

  @Test
  void status_unknownGroup_exitTwoListingTheValues() {
    Run r = sb.run("status", "prod");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("the values of tag env are: staging");
  }

  @Test
  void status_noCredentials_awsErrorOnOneCleanLine() {
    CliContext noCredentials =
        new CliContext(
            java.util.Map.of(),
            false,
            java.time.ZoneOffset.UTC,
            java.time.Duration.ofMillis(5),
            java.time.Duration.ofMillis(40),
            java.time.Duration.ofMillis(400),
            java.util.Optional.of(
                software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()),
            java.util.Optional.of(CliSandbox.FAST_RETRIES));

    Run r =
        CliSandbox.execute(
            noCredentials,
            "status",
            "staging",
            "--endpoint-url",
            "http://127.0.0.1:1",
            "--region",
            "us-east-1");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.AWS_ERROR);
    assertThat(r.err()).startsWith("eb-deploy: AWS error: ").doesNotContain("\tat ");
    assertThat(r.err().strip().lines()).hasSize(1);
  }
}
