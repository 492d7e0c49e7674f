package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebdeploy.sandbox.Fault;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code rollback}, {@code unlock}, the lock and the rollback outcomes on the command line. */
@Timeout(60)
class RollbackCommandTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";
  static final String BUCKET = "elasticbeanstalk-us-east-1-123456789012";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  CliSandbox sb;
  TestProject p;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    p = TestProject.create(tmp.resolve("app"), "# defaults\n");
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  private S3Client s3() {
    return S3Client.builder()
        .endpointOverride(sb.sandbox.endpoint())
        .region(Region.of(CliSandbox.REGION))
        .credentialsProvider(CliSandbox.CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .forcePathStyle(true)
        .build();
  }

  @Test
  void rollback_afterTwoDeploys_takesTheGroupBackOneReleaseExitZero() {
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path(), "--label", "v1").exitCode())
        .isZero();
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path(), "--label", "v2").exitCode())
        .isZero();

    Run r = sb.run("rollback", "staging", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Rolled back staging to v1 (Iaso): 2 environments");
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v1");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v1");

    Run to =
        sb.run("rollback", "staging", "--to", "v2", "--output", "json", "--project-dir", p.path());
    assertThat(to.exitCode()).as(to.err()).isZero();
    assertThat(to.out())
        .contains("\"command\" : \"rollback\"")
        .contains("\"outcome\" : \"succeeded\"");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v2");
  }

  @Test
  void rollback_unknownLabel_exitTwoNothingChanged() {
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path(), "--label", "v1").exitCode())
        .isZero();

    Run r = sb.run("rollback", "staging", "--to", "v9", "--project-dir", p.path());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("application version v9 of Iaso does not exist");
  }

  @Test
  void deploy_rollbackFails_exitThreeWithTheCommandToRunNext() throws Exception {
    // Never deployed: a web that succeeded cannot be returned to "no version".
    sb.sandbox.inject(Fault.instanceFailure(WORKER));
    Path report = tmp.resolve("report.json");

    Run r = sb.run("deploy", "staging", "--project-dir", p.path(), "--report", report.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
    assertThat(r.out())
        .contains("THE ROLLBACK FAILED")
        .contains(WEB + " v1.0.0 -> v1.0.0: no previous version")
        .contains("The group staging is not consistent: " + WEB + " runs v1.0.0 (previous: none)")
        .contains("Then check: eb-deploy status staging");
    assertThat(r.err())
        .startsWith("eb-deploy: deploy of v1.0.0 to staging failed")
        .contains("THE ROLLBACK FAILED");
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.get("outcome").asText()).isEqualTo("rollback-failed");
    assertThat(json.get("rollback").get("instructions").size()).isPositive();
  }

  @Test
  void deploy_lockedByAnother_exitFourNamingTheHolder_thenUnlock() throws Exception {
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path(), "--label", "v1").exitCode())
        .isZero();
    Instant now = Instant.now();
    try (S3Client s3 = s3()) {
      s3.putObject(
          b -> b.bucket(BUCKET).key("eb-deploy/Iaso/staging/lock.json"),
          RequestBody.fromString(
              "{\"owner\":\"alice\",\"host\":\"ci-7\",\"pid\":4242,\"pidSpace\":\"x\",\"command\":\"deploy\","
                  + "\"label\":\"v9\",\"startedAt\":\""
                  + now
                  + "\",\"heartbeatAt\":\""
                  + now
                  + "\"}"));
    }
    Path report = tmp.resolve("locked.json");

    Run r =
        sb.run(
            "deploy",
            "staging",
            "--project-dir",
            p.path(),
            "--label",
            "v2",
            "--report",
            report.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.LOCKED);
    assertThat(r.err())
        .contains("is locked by another deploy: alice on ci-7 (pid 4242)")
        .contains("eb-deploy unlock staging");
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.get("outcome").asText()).isEqualTo("locked");
    assertThat(json.get("lock").get("owner").asText()).isEqualTo("alice");
    assertThat(json.get("exitCode").asInt()).isEqualTo(4);

    Run status = sb.run("status", "staging");
    assertThat(status.out()).contains("Locked by alice on ci-7 (pid 4242)");

    Run unlock = sb.run("unlock", "staging");
    assertThat(unlock.exitCode()).as(unlock.err()).isZero();
    assertThat(unlock.out()).contains("Removed the lock of staging held by alice on ci-7");
    assertThat(sb.run("unlock", "staging").out()).contains("staging was not locked.");
    assertThat(sb.run("deploy", "staging", "--project-dir", p.path(), "--label", "v2").exitCode())
        .isZero();
  }

  @Test
  void help_listsRollbackAndUnlock() {
    Run r = Run.of("--help");

    assertThat(r.out()).contains("rollback", "unlock");
    assertThat(Run.of("rollback", "--help").out()).contains("--to=LABEL", "Exit codes:");
  }
}
