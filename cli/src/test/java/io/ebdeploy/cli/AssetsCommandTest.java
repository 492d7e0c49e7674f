package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebdeploy.sandbox.SandboxCall;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

@Timeout(60)
class AssetsCommandTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";
  static final String STATIC =
      "static:\n  dir: build/static\n  bucket: iaso-static\n  keep-releases: 1\n";

  @TempDir Path tmp;
  CliSandbox sb;
  S3Client s3;
  TestProject project;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    s3 = sb.s3();
    project = staticProject(sb, tmp.resolve("app"));
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    sb.sandbox.clearCalls();
  }

  /**
   * The bucket iaso-static in the sandbox's region, and a project in {@code dir} that pushes two
   * static files there ({@link #STATIC}), one of them fingerprinted.
   */
  static TestProject staticProject(CliSandbox sb, Path dir) {
    sb.s3()
        .createBucket(
            b -> {
              b.bucket("iaso-static");
              if (!sb.region.equals("us-east-1")) {
                b.createBucketConfiguration(c -> c.locationConstraint(sb.region));
              }
            });
    return TestProject.create(dir, STATIC + "bundle:\n  exclude: [build/]\n")
        .write("build/static/css/site.0123abcd.css", "body{}")
        .write("build/static/js/app.js", "go()");
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  @Test
  void assets_uploadsThenSkips_andTouchesNoEnvironment() {
    Run first = sb.run("assets", "staging", "--project-dir", project.path());
    Run again = sb.run("assets", "staging", "--project-dir", project.path());

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("Static files s3://iaso-static/static/: 2 files uploaded (2 new, 0 changed")
        .contains("a sync on its own deletes nothing");
    assertThat(again.out()).contains("0 files uploaded (0 new, 0 changed, 0 B), 2 unchanged");
    assertThat(sb.sandbox.calls()).noneMatch(c -> c.service().equals("elasticbeanstalk"));
    assertThat(
            s3.headObject(b -> b.bucket("iaso-static").key("static/css/site.0123abcd.css"))
                .cacheControl())
        .isEqualTo("public, max-age=31536000, immutable");
  }

  @Test
  void assets_dryRunJson_countsAndWritesNothing() throws Exception {
    Run r =
        sb.run(
            "assets", "staging", "--dry-run", "--project-dir", project.path(), "--output", "json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("dryRun").asBoolean()).isTrue();
    assertThat(json.get("uploaded").asInt()).isEqualTo(2);
    assertThat(json.get("skipped").asInt()).isZero();
    assertThat(json.get("bucket").asText()).isEqualTo("iaso-static");
    assertThat(sb.sandbox.calls()).noneMatch(SandboxCall::mutating);
  }

  @Test
  void assets_missingFolder_exits2NamingIt() {
    TestProject bare = TestProject.create(tmp.resolve("bare"), STATIC);

    Run r = sb.run("assets", "staging", "--project-dir", bare.path());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("static.dir").contains("build/static").contains("does not exist");
    assertThat(sb.sandbox.calls()).isEmpty();
  }

  @Test
  void assets_unknownBucket_exits2() {
    TestProject other =
        TestProject.create(tmp.resolve("other"), "static:\n  dir: s\n  bucket: nope-bucket\n")
            .write("s/a.css", "a");

    Run r = sb.run("assets", "staging", "--project-dir", other.path());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("nope-bucket").contains("does not exist");
    assertThat(sb.sandbox.calls()).noneMatch(SandboxCall::mutating);
  }

  @Test
  void assets_withoutStaticSection_exits2() {
    TestProject none = TestProject.create(tmp.resolve("none"));

    Run r = sb.run("assets", "staging", "--project-dir", none.path());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no static: section");
  }

  @Test
  void planAndDeploy_showTheStaticFiles() {
    Run plan = sb.run("plan", "staging", "--project-dir", project.path());
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains(
            "static files s3://iaso-static/static/: 2 files, 2 to upload (2 new, 0 changed, 10 B),"
                + " 0 unchanged, 0 to delete once the deploy succeeded");
    assertThat(sb.mutatingCalls()).isEmpty();

    Run deploy = sb.run("deploy", "staging", "--project-dir", project.path());

    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    assertThat(deploy.out() + deploy.err())
        .contains("static files: 2 files uploaded (2 new")
        .contains("static files: release recorded");
    assertThat(deploy.out()).contains("static files s3://iaso-static/static/: 2 files uploaded");
  }
}
