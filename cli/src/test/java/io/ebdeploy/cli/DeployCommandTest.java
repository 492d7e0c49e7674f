package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebdeploy.sandbox.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code eb-deploy deploy} end to end: the command line, the library, the sandbox. */
@Timeout(60)
class DeployCommandTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  CliSandbox sb;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  private TestProject project(String yml) {
    return TestProject.create(tmp.resolve("app"), yml);
  }

  @Test
  void deploy_webAndWorker_bothOnTheLabelWebFirstExitZero() {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = project("# defaults\n");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v1.0.0");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v1.0.0");
    assertThat(sb.updated()).containsExactly(WEB, WORKER);
    assertThat(r.out())
        .contains("Deployed v1.0.0 to staging (Iaso): 2 environments in")
        .containsPattern("\\d\\d:\\d\\d:\\d\\d found 2 environments of Iaso tagged staging")
        .containsPattern(
            "\\d\\d:\\d\\d:\\d\\d " + WORKER + "  Updating  \\w+  \"Deploying new version")
        .containsPattern(WEB + " +web +web \\(migrates\\) +\\(none\\) -> v1.0.0 +Ready +Green")
        .containsPattern(WORKER + " +worker +worker +\\(none\\) -> v1.0.0 +Ready +Green +succeeded")
        .doesNotContain("\033");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void shorthand_groupAsFirstWord_deploysAsDeployDoes() {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = project("# defaults\n");

    Run r = sb.run("staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Deployed v1.0.0 to staging");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v1.0.0");
  }

  @Test
  void shorthand_verboseBeforeGroup_stillDeploys() {
    sb.group(APP, "staging", List.of(WEB), List.of());
    TestProject p = project("# defaults\n");

    Run r = sb.run("-v", "staging", "--project-dir", p.path(), "--label", "v7");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v7");
  }

  @Test
  void deploy_webAndThreeWorkers_allSucceedOnOneLabel() {
    List<String> workers = List.of("Iaso-staging-w1", "Iaso-staging-w2", "Iaso-staging-w3");
    sb.group(APP, "staging", List.of(WEB), workers);
    TestProject p = project("# defaults\n");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Deployed v1.0.0 to staging (Iaso): 4 environments");
    for (String env : List.of(WEB, workers.get(0), workers.get(1), workers.get(2))) {
      assertThat(sb.describe(env).versionLabel()).as(env).isEqualTo("v1.0.0");
    }
    assertThat(sb.updated().get(0)).isEqualTo(WEB);
    assertThat(sb.updated()).hasSize(4);
    // One bundle, one upload, one application version for the whole group.
    assertThat(sb.calls("PutObject"))
        .filteredOn(c -> !String.valueOf(c.params().get("Key")).startsWith("eb-deploy/"))
        .hasSize(1);
    assertThat(sb.calls("CreateApplicationVersion")).hasSize(1);
  }

  @Test
  void deploy_migratorFails_othersNeverAskedExitOne() {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER, "Iaso-staging-w2"));
    sb.sandbox.inject(Fault.instanceFailure(WEB));
    TestProject p = project("# defaults\n");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.DEPLOY_FAILED);
    assertThat(sb.updated()).containsExactly(WEB);
    assertThat(sb.describe(WORKER).versionLabel()).isNullOrEmpty();
    assertThat(r.out())
        .contains("Deploy of v1.0.0 to staging FAILED (Iaso)")
        .contains("0 of 3 environments succeeded")
        .containsPattern(WORKER + " +worker +worker +\\(none\\) -> \\(none\\) .* not started");
    assertThat(r.err()).startsWith("eb-deploy: deploy of v1.0.0 to staging failed: ");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void deploy_workerRevertedByBeanstalk_webRolledBackExitOneReportedAndStatusZero()
      throws Exception {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = project("# defaults\n");
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path()).exitCode()).isZero();
    p.write("application.py", "# v1.1.0\n").commit("next").tag("v1.1.0");
    sb.sandbox.inject(Fault.instanceFailure(WORKER));
    Path report = tmp.resolve("report.json");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path(), "--report", report.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.DEPLOY_FAILED);
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v1.0.0");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v1.0.0");
    assertThat(r.out())
        .containsPattern(WORKER + " +worker +worker +v1.0.0 -> v1.0.0 .* reverted")
        .contains("1 of 2 environments succeeded. Rolled back: every environment runs its previous")
        .contains("rolling back: " + WEB + " to v1.0.0")
        .containsPattern(WEB + " v1.1.0 -> v1.0.0: returned")
        .contains(WORKER + " v1.0.0 -> v1.0.0: already there")
        .contains("The database schema was not reverted");
    assertThat(r.err()).contains("rolled back: every environment runs its previous label again");
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.get("succeeded").asBoolean()).isFalse();
    assertThat(json.get("outcome").asText()).isEqualTo("rolled-back");
    assertThat(json.get("label").asText()).isEqualTo("v1.1.0");
    assertThat(json.get("schemaNotReverted").asBoolean()).isTrue();
    assertThat(json.get("previousLabels").get(WEB).asText()).isEqualTo("v1.0.0");
    assertThat(json.get("rollback").get("succeeded").asBoolean()).isTrue();
    assertThat(json.get("calls").get("calls").asInt()).isPositive();
    assertThat(json.get("environments"))
        .anySatisfy(
            e -> {
              assertThat(e.get("name").asText()).isEqualTo(WORKER);
              assertThat(e.get("outcome").asText()).isEqualTo("REVERTED");
              assertThat(e.get("labelAfter").asText()).isEqualTo("v1.0.0");
            });

    Run status = sb.run("status", "staging");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("All 2 run v1.0.0.")
        .contains("Not locked.")
        .contains("Last runs:")
        .containsPattern("deploy +v1.1.0 +rolled-back");
  }

  @Test
  void deploy_hang_timesOutAbortsAndExitsOne() {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    sb.sandbox.inject(Fault.hang(WEB));
    TestProject p = project("timeouts:\n  deploy: 1s\n");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.DEPLOY_FAILED);
    assertThat(sb.calls("AbortEnvironmentUpdate")).hasSize(1);
    assertThat(sb.updated()).containsExactly(WEB);
    assertThat(r.out())
        .contains("aborting the update")
        .containsPattern(WEB + " +web .* timed out")
        .containsPattern(WORKER + " .* not started");
    assertThat(sb.describe(WEB).statusAsString()).isEqualTo("Ready");
  }

  @Test
  void deploy_report_writtenOnSuccess() throws Exception {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = project("# defaults\n");
    Path report = tmp.resolve("out/deploy.json");
    Files.createDirectories(report.getParent());

    Run r = sb.run("deploy", "staging", "--project-dir", p.path(), "--report", report.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.get("succeeded").asBoolean()).isTrue();
    assertThat(json.get("group").asText()).isEqualTo("staging");
    assertThat(json.get("migrator").asText()).isEqualTo(WEB);
    assertThat(json.get("environments")).hasSize(2);
    assertThat(json.get("environments").get(0).get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(json.get("bundle").get("key").asText()).startsWith("Iaso/v1.0.0-");
  }

  @Test
  void deploy_report_writtenWhenRefusedBeforeAnyChange() throws Exception {
    sb.group(APP, "staging", List.of(WEB), List.of());
    TestProject p = project("# defaults\n");
    Path report = tmp.resolve("deploy.json");

    Run r = sb.run("deploy", "prod", "--project-dir", p.path(), "--report", report.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.get("succeeded").asBoolean()).isFalse();
    assertThat(json.get("kind").asText()).isEqualTo("INVALID_INPUT");
    assertThat(json.get("exitCode").asInt()).isEqualTo(2);
    assertThat(json.get("failure").asText()).contains("no environment is tagged env=prod");
    assertThat(json.get("environments")).isEmpty();
  }

  @Test
  void deploy_outputJson_stdoutIsOnlyTheResultProgressOnStderr() throws Exception {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = project("# defaults\n");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path(), "--output", "json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("succeeded").asBoolean()).isTrue();
    assertThat(json.get("environments")).hasSize(2);
    assertThat(r.err()).contains("found 2 environments of Iaso tagged staging", "succeeded in");
  }

  @Test
  void deploy_rerunSameCommit_reusesTheVersionWithoutUpload() {
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = project("# defaults\n");
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path()).exitCode()).isZero();
    sb.sandbox.clearCalls();

    Run r = sb.run("deploy", "staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(sb.calls("PutObject"))
        .filteredOn(c -> !String.valueOf(c.params().get("Key")).startsWith("eb-deploy/"))
        .isEmpty();
    assertThat(sb.calls("CreateApplicationVersion")).isEmpty();
    assertThat(r.out()).contains("existing version reused");
  }
}
