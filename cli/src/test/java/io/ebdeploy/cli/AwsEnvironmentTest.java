package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region and the endpoints as users set them for the AWS CLI and every SDK, with no eb-deploy
 * flag: {@code AWS_DEFAULT_REGION}, {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}.
 * The group lives in eu-central-1 (the sandbox keeps state per region, as AWS does), so a region
 * guessed or taken from elsewhere finds nothing. The variables reach the command as the process
 * environment does ({@link CliContext#env()}); {@code HOME} is a temporary folder, so that no
 * {@code ~/.aws/config} of the machine running the tests takes part. {@code AwsEnvironmentIT} does
 * the same with a real process.
 */
@Timeout(60)
class AwsEnvironmentTest {
  static final String REGION = "eu-central-1";
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";

  @TempDir Path tmp;
  CliSandbox sb;
  TestProject project;
  final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() {
    sb = new CliSandbox(REGION);
    project = AssetsCommandTest.staticProject(sb, tmp.resolve("app"));
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    env.put("HOME", tmp.resolve("home").toString());
    env.put("AWS_DEFAULT_REGION", REGION);
    env.put("AWS_ENDPOINT_URL", sb.sandbox.endpoint().toString());
    sb.sandbox.clearCalls();
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  private Run run(String... args) {
    return CliSandbox.execute(CliSandbox.context(env), args);
  }

  @Test
  void defaultRegionAndEndpointUrl_deployStatusAssetsRollback_workWithoutFlags() {
    Run first = run("deploy", "staging", "--project-dir", project.path());
    project.write("application.py", "# v2\n").commit("v2").tag("v2.0.0");
    Run second = run("deploy", "staging", "--project-dir", project.path());
    Run status = run("status", "staging", "--project-dir", project.path());
    Run assets = run("assets", "staging", "--project-dir", project.path());
    Run rollback = run("rollback", "staging", "--project-dir", project.path());

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains(WEB, WORKER, "v2.0.0");
    assertThat(assets.exitCode()).as(assets.err()).isZero();
    assertThat(assets.out()).contains("Static files s3://iaso-static/static/");
    assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v1.0.0");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v1.0.0");
  }

  @Test
  void plan_namesTheRegionAndEachEndpointWithWhereItCameFrom() throws Exception {
    env.put("AWS_ENDPOINT_URL_ELASTIC_BEANSTALK", sb.sandbox.endpoint() + "/");

    Run text = run("plan", "staging", "--project-dir", project.path());
    Run json = run("plan", "staging", "--project-dir", project.path(), "--output", "json");
    Run flag = run("plan", "staging", "--project-dir", project.path(), "--region", REGION);

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("  region eu-central-1 (from AWS_DEFAULT_REGION)\n")
        .contains(
            "  endpoint "
                + sb.sandbox.endpoint()
                + " (from AWS_ENDPOINT_URL) for Resource Groups Tagging API, S3\n")
        .contains(
            "  endpoint "
                + sb.sandbox.endpoint()
                + "/ (from AWS_ENDPOINT_URL_ELASTIC_BEANSTALK) for Elastic Beanstalk\n");
    JsonNode plan = new ObjectMapper().readTree(json.out());
    assertThat(plan.get("region").asText()).isEqualTo(REGION);
    assertThat(plan.get("regionSource").asText()).isEqualTo("AWS_DEFAULT_REGION");
    assertThat(plan.get("endpoints").get("S3").get("source").asText())
        .isEqualTo("AWS_ENDPOINT_URL");
    assertThat(flag.out()).contains("  region eu-central-1 (from --region)\n");
    assertThat(sb.mutatingCalls()).isEmpty();
  }

  @Test
  void noRegion_anEndpointIsNoRegion_refusedBeforeAnyCall() {
    env.remove("AWS_DEFAULT_REGION");
    env.put("AWS_EC2_METADATA_DISABLED", "true"); // also on a CI runner that is an EC2 instance

    Run r = run("status", "staging", "--project-dir", project.path());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("no AWS region: pass --region, set region: in eb-deploy.yml, export AWS_REGION")
        .contains("an endpoint URL does not imply one");
    assertThat(sb.sandbox.calls()).isEmpty();
  }

  @Test
  void rdsEndpointUrl_deprecated_stillSendsRdsThereAndSaysWhatToUseInstead() {
    project.write("eb-deploy.yml", "database:\n  snapshot-before-migrate: iaso-db\n").commit("db");

    Run r =
        run(
            "deploy",
            "staging",
            "--project-dir",
            project.path(),
            "--rds-endpoint-url",
            "http://127.0.0.1:9");

    assertThat(r.err())
        .contains(
            "eb-deploy: --rds-endpoint-url is deprecated and will be removed; export"
                + " AWS_ENDPOINT_URL_RDS=URL instead")
        .contains("CreateDBSnapshot failed")
        .contains("Connection refused");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.AWS_ERROR);
    assertThat(sb.calls("UpdateEnvironment")).isEmpty();
  }
}
