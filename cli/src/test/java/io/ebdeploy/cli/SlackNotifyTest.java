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
}
