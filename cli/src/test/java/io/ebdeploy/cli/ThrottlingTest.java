package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.SandboxCall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy while AWS throttles a share of every call, of every service: the sandbox refuses that
 * share with each service's own throttling error (Beanstalk {@code Throttling}, Tagging {@code
 * ThrottledException}, S3 {@code SlowDown}), spread evenly. Half of everything is an account under
 * heavy use, and the deploy goes through; nine tenths is a limit too low for the work, and it stops
 * with exit 5, saying so, without leaving the group split.
 */
@Timeout(120)
class ThrottlingTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";

  @TempDir Path tmp;
  CliSandbox sb;
  TestProject project;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    project = AssetsCommandTest.staticProject(sb, tmp.resolve("app"));
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    // A first release, so that the group has a history, a previous label and static files.
    assertThat(sb.run("deploy", "staging", "--project-dir", project.path()).exitCode()).isZero();
    project.write("application.py", "# v2\n").write("build/static/js/app.js", "go(2)");
    project.commit("v2").tag("v2.0.0");
    sb.sandbox.clearCalls();
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  /** The throttled attempts by action, with the S3 keys' kind (bundle, lock, history...). */
  private Map<String, Long> throttled() {
    return sb.sandbox.calls().stream()
        .filter(c -> c.status() == 400 || c.status() == 503)
        .collect(Collectors.groupingBy(ThrottlingTest::what, TreeMap::new, Collectors.counting()));
  }

  private static String what(SandboxCall c) {
    Object key = c.params().get("Key");
    if (key == null) {
      return c.action();
    }
    String k = key.toString();
    String kind =
        k.startsWith("static/")
            ? "static"
            : k.startsWith("eb-deploy/") ? k.substring(k.lastIndexOf('/') + 1) : "bundle";
    return c.action() + " " + kind;
  }

  @Test
  void halfOfAllCallsThrottled_deploySucceeds_everyKindOfCallWasRefusedAndTriedAgain() {
    sb.sandbox.inject(Fault.throttle(0.5));

    Run r = sb.run("deploy", "staging", "--project-dir", project.path());

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v2.0.0");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v2.0.0");
    Set<String> refused = new TreeSet<>(throttled().keySet());
    assertThat(refused)
        .as("discovery, upload, version, lock, record, history, static files, update, polling")
        .contains("GetResources", "CreateApplicationVersion", "UpdateEnvironment")
        .contains("DescribeEnvironments", "DescribeEvents")
        .contains("PutObject bundle", "PutObject static")
        .containsAnyOf("PutObject lock.json", "DeleteObject lock.json")
        .containsAnyOf("PutObject deploy.json", "DeleteObject deploy.json")
        .containsAnyOf("GetObject history.json", "PutObject history.json");
  }

  @Test
  void nineTenthsThrottled_exit5NamesThrottlingTheCallAndWhatToDo_groupUnchanged() {
    sb.sandbox.inject(Fault.throttle(0.9));

    Run r = sb.run("deploy", "staging", "--project-dir", project.path());
    sb.sandbox.clearFaults();

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.AWS_ERROR);
    assertThat(r.err())
        .containsPattern("AWS throttled \\S+")
        .contains("\"Rate exceeded\" on 8 attempts in a row")
        .contains(
            "Wait a few minutes and run again, run fewer deploys at once, or ask AWS for a higher"
                + " limit");
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("v1.0.0");
    assertThat(sb.describe(WORKER).versionLabel()).isEqualTo("v1.0.0");
    assertThat(
            sb
                .s3()
                .listObjectsV2(b -> b.bucket("elasticbeanstalk-us-east-1-123456789012"))
                .contents()
                .stream()
                .map(o -> o.key())
                .filter(k -> k.endsWith("lock.json")))
        .as("no lock left")
        .isEmpty();
  }
}
