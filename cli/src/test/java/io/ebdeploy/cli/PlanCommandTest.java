package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PlanCommandTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";

  @TempDir Path tmp;
  CliSandbox sb;
  TestProject project;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER, "Iaso-staging-w2"));
    project =
        TestProject.create(
            tmp.resolve("app"),
            "build:\n  - mkdir -p dist && echo built > dist/app.js && echo assets done\n"
                + "bundle:\n  include: [dist/**]\n");
    sb.sandbox.clearCalls();
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  @Test
  void plan_group_showsEverythingUpToTheFirstChangeWithoutMutatingCall() {
    Run r = sb.run("plan", "staging", "--project-dir", project.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(sb.mutatingCalls()).as("mutating calls").isEmpty();
    assertThat(r.out())
        .contains("Plan: deploy v1.0.0 to staging (Iaso), 3 environments. Nothing was changed.")
        .contains("application version v1.0.0: will be created")
        .contains("migrations: policy web-first, migrator " + WEB)
        .containsPattern(WEB + " +web +web +\\(none\\) +Ready +Green +Python 3.11")
        .containsPattern(WORKER + " +worker +worker ")
        .contains("1. " + WEB + " (alone; the others wait for it)")
        .contains("2. Iaso-staging-w2, " + WORKER)
        .containsPattern("bundle: 5 files, [0-9.]+ [KM]?i?B, sha256 [0-9a-f]{64}, key Iaso/v1.0.0-")
        .contains("    application.py", "    dist/app.js", "    VERSION.json");
    assertThat(r.err()).contains("build | assets done");
    assertThat(sb.describe(WEB).versionLabel()).isNullOrEmpty();
  }

  @Test
  void plan_outputJson_parsesWithWavesAndFiles() throws Exception {
    Run r = sb.run("plan", "staging", "--project-dir", project.path(), "--output", "json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("label").asText()).isEqualTo("v1.0.0");
    assertThat(json.get("waves")).hasSize(2);
    assertThat(json.get("waves").get(0).get(0).asText()).isEqualTo(WEB);
    assertThat(json.get("bundleEntries").toString()).contains("dist/app.js", "VERSION.json");
    assertThat(json.get("bundle").get("sha256").asText()).hasSize(64);
    assertThat(sb.mutatingCalls()).isEmpty();
  }

  @Test
  void plan_afterDeploy_saysTheVersionIsReused() {
    assertThat(sb.run("deploy", "staging", "--project-dir", project.path()).exitCode()).isZero();
    sb.sandbox.clearCalls();

    Run r = sb.run("plan", "staging", "--project-dir", project.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("exists with this bundle, reused");
    assertThat(sb.mutatingCalls()).isEmpty();
  }
}
