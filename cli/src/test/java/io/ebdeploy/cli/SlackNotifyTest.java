package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.Fault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack from the command line: a failing Slack never changes the exit code, the webhook URL and
 * token (sentinels) appear in no output, log or report; {@code notify-test} exits 0, 5 or 2.
 */
@Timeout(60)
class SlackNotifyTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";
  static final String HOOK_PATH = "/services/SENTINEL-XYZ";

  @TempDir Path tmp;
  @StartStop final MockWebServer slack = new MockWebServer();
  CliSandbox sb;
  final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  PrintStream oldErr;
  final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    oldErr = System.err;
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setErr(oldErr);
    sb.close();
    outputs.add(logs.toString(StandardCharsets.UTF_8));
    for (String o : outputs) {
      assertThat(o).doesNotContain("SENTINEL");
    }
  }

  private Map<String, String> hookEnv() {
    return Map.of("SLACK_WEBHOOK_URL", slack.url(HOOK_PATH).toString(), "GITHUB_ACTOR", "alice");
  }

  private void keep(Run r) {
    outputs.add(r.out());
    outputs.add(r.err());
  }

  @Test
  void deploy_slackDown_exitZeroRecordedInReportAndJson() throws Exception {
    for (int i = 0; i < 4; i++) {
      slack.enqueue(new MockResponse.Builder().code(500).body("oops").build());
    }
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = TestProject.create(tmp.resolve("app"), "# defaults\n");
    Path report = tmp.resolve("report.json");

    Run r =
        sb.run(
            hookEnv(),
            "deploy",
            "staging",
            "--project-dir",
            p.path(),
            "--output",
            "json",
            "--report",
            report.toString());
    keep(r);
    String json = Files.readString(report);
    outputs.add(json);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(json)
        .contains("\"notifications\"")
        .contains("HTTP 500 from Slack: oops (webhook from SLACK_WEBHOOK_URL)");
    assertThat(r.out()).contains("\"notifications\"");
    assertThat(slack.getRequestCount()).isEqualTo(2);
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("SLACK_WEBHOOK_URL");
  }

  @Test
  void deploy_failed_tokenMode_exitStaysOneAndThreadCarriesDetails() throws Exception {
    for (int i = 0; i < 20; i++) {
      slack.enqueue(
          new MockResponse.Builder()
              .code(200)
              .setHeader("Content-Type", "application/json")
              .body("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}")
              .build());
    }
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    sb.sandbox.inject(Fault.instanceFailure(WEB));
    TestProject p = TestProject.create(tmp.resolve("app"), "slack:\n  channel: \"#deploys\"\n");
    // The token goes to the test server through slack-api-client's endpoint, set below.
    Run r =
        CliSandbox.execute(
            CliSandbox.context(
                Map.of(
                    "SLACK_BOT_TOKEN",
                    "xoxb-SENTINEL",
                    "EB_DEPLOY_SLACK_API_URL",
                    slack.url("/api/").toString())),
            "deploy",
            "staging",
            "--project-dir",
            p.path(),
            "--endpoint-url",
            sb.sandbox.endpoint().toString(),
            "--region",
            CliSandbox.REGION);
    keep(r);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.DEPLOY_FAILED);
    List<String> paths = new ArrayList<>();
    String lastBody = "";
    RecordedRequest q;
    while ((q = slack.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      paths.add(q.getUrl().encodedPath());
      lastBody = java.net.URLDecoder.decode(q.getBody().utf8(), StandardCharsets.UTF_8);
    }
    assertThat(paths.get(0)).isEqualTo("/api/chat.postMessage");
    assertThat(paths.get(paths.size() - 2)).isEqualTo("/api/chat.update");
    assertThat(paths.get(paths.size() - 1)).isEqualTo("/api/chat.postMessage");
    assertThat(lastBody).contains("thread_ts=1.2").contains("Failure details");
  }

  @Test
  void notifyTest_okFailedAndNotConfigured() {
    slack.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    slack.enqueue(new MockResponse.Builder().code(403).body("invalid_token").build());
    Path dir = tmp.resolve("p");
    TestProject.create(dir, "# defaults\n");

    Run ok = sb.run(hookEnv(), "notify-test", "--project-dir", dir.toString());
    Run bad = sb.run(hookEnv(), "notify-test", "--project-dir", dir.toString());
    Run none = sb.run(Map.of(), "notify-test", "--project-dir", dir.toString());
    keep(ok);
    keep(bad);
    keep(none);

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("webhook from SLACK_WEBHOOK_URL");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.AWS_ERROR);
    assertThat(bad.err()).contains("HTTP 403").contains("SLACK_WEBHOOK_URL");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("SLACK_WEBHOOK_URL").contains("not configured");
  }

  /** Answers every webhook POST with Slack's {@code ok}. */
  private void slackAnswersOk(int times) {
    for (int i = 0; i < times; i++) {
      slack.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    }
  }

  /** The plain-text fallback of every message Slack received since the last call. */
  private List<String> messages() throws Exception {
    List<String> texts = new ArrayList<>();
    RecordedRequest q;
    while ((q = slack.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      texts.add(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(q.getBody().utf8())
              .path("text")
              .asText());
    }
    return texts;
  }

  @Test
  void deploy_messagesAndReportNameTheCommitAndWhoStartedIt_fromGit() throws Exception {
    slackAnswersOk(2);
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = TestProject.create(tmp.resolve("app"), "# defaults\n");
    p.git("config", "user.email", "dev@example.org");
    String commit = p.git("rev-parse", "--short", "HEAD").strip();
    Path report = tmp.resolve("report.json");

    Run r =
        sb.run(
            Map.of("SLACK_WEBHOOK_URL", slack.url(HOOK_PATH).toString()),
            "deploy",
            "staging",
            "--project-dir",
            p.path(),
            "--report",
            report.toString());
    keep(r);

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> texts = messages();
    assertThat(texts).hasSize(2);
    for (String text : texts) {
      assertThat(text).contains("Commit: " + commit + "\n", "Started by: dev@example.org\n");
    }
    assertThat(Files.readString(report))
        .contains("\"commit\" : \"" + commit + "\"", "\"startedBy\" : \"dev@example.org\"");
  }

  @Test
  void rollback_postsItsStartAndOutcomePerEnvironment_likeADeploy() throws Exception {
    slackAnswersOk(6);
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    TestProject p = TestProject.create(tmp.resolve("app"), "# defaults\n");
    assertThat(sb.run(hookEnv(), "deploy", "staging", "--project-dir", p.path()).exitCode())
        .isZero();
    p.write("application.py", "# v2\n").commit("v2").tag("v2.0.0");
    assertThat(sb.run(hookEnv(), "deploy", "staging", "--project-dir", p.path()).exitCode())
        .isZero();
    messages();

    Run r = sb.run(hookEnv(), "rollback", "staging", "--project-dir", p.path());
    keep(r);

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> texts = messages();
    assertThat(texts).hasSize(2);
    assertThat(texts.get(0))
        .startsWith(":hourglass_flowing_sand: Rolling back Iaso staging to v1.0.0\n")
        .contains("Started by: alice")
        .doesNotContain("Commit:");
    assertThat(texts.get(1))
        .startsWith(":white_check_mark: Rolled back Iaso staging to v1.0.0: succeeded\n")
        .containsPattern(WEB + " +web +v2\\.0\\.0 -> v1\\.0\\.0 +\\S+ +succeeded")
        .containsPattern(WORKER + " +worker +v2\\.0\\.0 -> v1\\.0\\.0 +\\S+ +succeeded");
  }

  @Test
  void deploy_lockedOut_errorReportListsTheNoticeSent() throws Exception {
    slackAnswersOk(2);
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    String bucket = "elasticbeanstalk-us-east-1-123456789012";
    String now = java.time.Instant.now().toString();
    sb.s3().createBucket(b -> b.bucket(bucket));
    sb.s3()
        .putObject(
            b -> b.bucket(bucket).key("eb-deploy/" + APP + "/staging/lock.json"),
            software.amazon.awssdk.core.sync.RequestBody.fromString(
                "{\"id\":\"r1\",\"application\":\"Iaso\",\"group\":\"staging\","
                    + "\"command\":\"deploy\",\"label\":\"v9\",\"owner\":\"bob\","
                    + "\"host\":\"ci-runner-7\",\"pid\":4242,\"pidStart\":\"\","
                    + "\"pidSpace\":\"elsewhere\",\"startedAt\":\""
                    + now
                    + "\",\"heartbeatAt\":\""
                    + now
                    + "\",\"ttlMillis\":900000}"));
    TestProject p = TestProject.create(tmp.resolve("app"), "# defaults\n");
    Path report = tmp.resolve("report.json");

    Run r =
        sb.run(
            hookEnv(),
            "deploy",
            "staging",
            "--project-dir",
            p.path(),
            "--report",
            report.toString());
    keep(r);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.LOCKED);
    assertThat(messages()).last().asString().contains("locked out");
    assertThat(Files.readString(report))
        .contains("\"outcome\" : \"locked\"")
        .containsPattern(
            "\"notifications\" : \\[ \\{\\s*\"kind\" : \"end\",\\s*\"ok\" : true\\s*\\} \\]");
  }
}
