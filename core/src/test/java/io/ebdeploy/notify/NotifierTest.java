package io.ebdeploy.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployListener;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.Notification;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both modes against mockwebserver3, every outcome, and the sentinel secrets nowhere. */
class NotifierTest {
  static final String HOOK_SENTINEL = "/services/SENTINEL-XYZ";
  static final String TOKEN_SENTINEL = "xoxb-SENTINEL";
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  @StartStop final MockWebServer server = new MockWebServer();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldErr;
  private final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void captureStderr() {
    oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void noSecretAnywhere() {
    System.setErr(oldErr);
    outputs.add(err.toString(StandardCharsets.UTF_8));
    for (String out : outputs) {
      assertThat(out).doesNotContain("SENTINEL");
    }
  }

  // --- webhook mode -------------------------------------------------------------------------

  @Test
  void webhookPostsStartAndEndOnSuccess() throws Exception {
    ok(2);
    DeployResult r = webhook().run("staging", DeployListener.none(), deploy(success()));
    String start = body(), end = body();
    assertThat(start)
        .contains("Deploying sample v1.2.0 to staging")
        .contains("\"blocks\"")
        .contains("alice")
        .contains("https://github.com/acme/app/actions/runs/42")
        .contains("abc1234");
    assertThat(end)
        .contains("Deployed sample v1.2.0 to staging: succeeded")
        .contains("web-1")
        .contains("v1.1.0 -> v1.2.0")
        .contains("Green")
        .contains("Duration")
        .contains("1m 30s");
    assertThat(r.notifications()).containsExactly(Notification.ok("start"), Notification.ok("end"));
    assertThat(r.toJson()).contains("\"notifications\"").contains("\"kind\" : \"end\"");
    record(r.toJson());
  }

  @Test
  void webhookFailureIsReportedWithFailureEvents() throws Exception {
    ok(2);
    assertThatThrownBy(() -> webhook().run("staging", DeployListener.none(), deploy(failure())))
        .isInstanceOfSatisfying(
            DeployFailedException.class,
            e -> {
              assertThat(e.result().notifications()).hasSize(2).allMatch(Notification::ok);
              assertThat(e.result().toJson()).contains("notifications");
            });
    body();
    assertThat(body())
        .contains("Deploy of sample v1.2.0 to staging: failed and rolled back")
        .contains("First failure events")
        .contains("Failed to deploy application");
  }

  @Test
  void rollbackFailedWithSnapshotSaysSo() throws Exception {
    ok(2);
    FakeResult f = (FakeResult) failure();
    DeployResult bad =
        new FakeResult(
            false,
            f.failure(),
            f.environments(),
            DeployOutcome.ROLLBACK_FAILED,
            Optional.of("iaso-db-pre-v1-2-0"));
    assertThatThrownBy(() -> webhook().run("staging", DeployListener.none(), deploy(bad)))
        .isInstanceOf(DeployFailedException.class);
    body();
    assertThat(body())
        .contains(":rotating_light: Deploy of sample v1.2.0 to staging: rollback failed")
        .contains("RDS snapshot: iaso-db-pre-v1-2-0")
        .contains("web-1: a failure event");
  }

  @Test
  void lockedAndInterruptedAreAnnounced() throws Exception {
    ok(3);
    EbDeployException locked = new EbDeployException(EbDeployException.Kind.LOCKED, "held by bob");
    assertThatThrownBy(
            () ->
                webhook()
                    .run(
                        "staging",
                        DeployListener.none(),
                        l -> {
                          throw locked;
                        }))
        .isSameAs(locked);
    assertThat(body()).contains(": locked out").contains("held by bob");

    EbDeployException stop =
        new EbDeployException(EbDeployException.Kind.INTERRUPTED, "cancelled: SIGTERM");
    assertThatThrownBy(
            () ->
                webhook()
                    .run(
                        "staging",
                        DeployListener.none(),
                        l -> {
                          emitStart(l);
                          throw stop;
                        }))
        .isSameAs(stop);
    body();
    assertThat(body()).contains(": interrupted");
  }

  @Test
  void refusedBeforeAnnouncingSendsNothing() {
    EbDeployException bad = EbDeployException.invalidInput("bad config");
    assertThatThrownBy(
            () ->
                webhook()
                    .run(
                        "staging",
                        DeployListener.none(),
                        l -> {
                          throw bad;
                        }))
        .isSameAs(bad);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void httpErrorIsRecordedNeverThrownAndNamesTheVariable() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).body("boom").build());
    server.enqueue(new MockResponse.Builder().code(404).body("no_service").build());
    DeployResult r = webhook().run("staging", DeployListener.none(), deploy(success()));
    assertThat(r.succeeded()).isTrue();
    assertThat(r.notifications())
        .extracting(n -> n.error().orElse(""))
        .containsExactly(
            "HTTP 500 from Slack: boom (webhook from SLACK_WEBHOOK_URL)",
            "HTTP 404 from Slack: no_service (webhook from SLACK_WEBHOOK_URL)");
    assertThat(r.toJson()).contains("HTTP 500 from Slack");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("SLACK_WEBHOOK_URL");
    record(r.toJson());
  }

  @Test
  void rateLimitedIsRetriedOnceAfterRetryAfter() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "1")
            .body("rate_limited")
            .build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "0")
            .body("rate_limited")
            .build());
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "0")
            .body("rate_limited")
            .build());
    long t = System.nanoTime();
    DeployResult r = webhook().run("staging", DeployListener.none(), deploy(success()));
    assertThat(Duration.ofNanos(System.nanoTime() - t))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(r.notifications().get(0)).isEqualTo(Notification.ok("start"));
    assertThat(r.notifications().get(1).error().orElseThrow())
        .startsWith("rate_limited: HTTP 429 from Slack");
  }

  @Test
  void unreachableSlackIsANetworkErrorWithoutTheUrl() throws Exception {
    Map<String, String> env = env();
    env.put("SLACK_WEBHOOK_URL", "http://127.0.0.1:9" + HOOK_SENTINEL);
    Notifier n =
        Notifier.builder(slack(Optional.empty()), env)
            .timeout(Duration.ofMillis(500))
            .build()
            .get();
    DeployResult r = n.run("staging", DeployListener.none(), deploy(success()));
    assertThat(r.notifications()).hasSize(2).noneMatch(Notification::ok);
    assertThat(r.notifications().get(0).error().orElseThrow())
        .contains("network error")
        .contains("SLACK_WEBHOOK_URL");
    assertThat(n.toString()).isEqualTo("Notifier[webhook from SLACK_WEBHOOK_URL]");
    record(r.toJson());
    record(n.toString());
  }

  // --- token mode ---------------------------------------------------------------------------

  @Test
  void tokenPostsOnceUpdatesAndRepliesInTheThreadOnFailure() throws Exception {
    for (int i = 0; i < 10; i++) {
      server.enqueue(
          new MockResponse.Builder()
              .code(200)
              .setHeader("Content-Type", "application/json")
              .body("{\"ok\":true,\"channel\":\"C42\",\"ts\":\"1700000000.000100\"}")
              .build());
    }
    assertThatThrownBy(() -> token().run("staging", DeployListener.none(), deploy(failure())))
        .isInstanceOf(DeployFailedException.class);
    List<RecordedRequest> reqs = new ArrayList<>();
    RecordedRequest q;
    while ((q = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      reqs.add(q);
    }
    assertThat(reqs.get(0).getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(reqs.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN_SENTINEL);
    assertThat(form(reqs.get(0))).contains("channel=#deploys").contains("Deploying sample v1.2.0");
    RecordedRequest last = reqs.get(reqs.size() - 1);
    RecordedRequest end = reqs.get(reqs.size() - 2);
    assertThat(end.getUrl().encodedPath()).isEqualTo("/api/chat.update");
    assertThat(form(end))
        .contains("ts=1700000000.000100")
        .contains("channel=C42")
        .contains(": failed");
    assertThat(last.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(form(last))
        .contains("thread_ts=1700000000.000100")
        .contains("Failure details")
        .contains("Failed to deploy application");
    // updates in between: verdict changes are sent at once
    assertThat(reqs.subList(1, reqs.size() - 2))
        .isNotEmpty()
        .allMatch(r -> r.getUrl().encodedPath().equals("/api/chat.update"));
  }

  @Test
  void tokenErrorsAreRecordedWithTheVariableName() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Content-Type", "application/json")
            .body("{\"ok\":false,\"error\":\"channel_not_found\"}")
            .build());
    server.enqueue(new MockResponse.Builder().code(503).body("down").build());
    DeployResult r = token().run("staging", DeployListener.none(), deploy(success()));
    assertThat(r.notifications())
        .extracting(n -> n.error().orElse(""))
        .containsExactly(
            "Slack refused chat.postMessage: channel_not_found (token from SLACK_BOT_TOKEN)",
            "HTTP 503 from Slack (token from SLACK_BOT_TOKEN)");
    record(r.toJson());
  }

  @Test
  void notifyTestSendsASample() throws Exception {
    ok(1);
    assertThat(webhook().sendTest()).isEqualTo(Notification.ok("test"));
    assertThat(body()).contains("notification test");
    assertThat(Notifier.fromConfig(slack(Optional.empty()), Map.of())).isEmpty();
    assertThat(
            Notifier.notConfiguredReason(slack(Optional.empty()), Map.of("SLACK_BOT_TOKEN", "x")))
        .contains("slack.channel");
  }

  // --- helpers ------------------------------------------------------------------------------

  private void record(String s) {
    outputs.add(s);
  }

  private void ok(int n) {
    for (int i = 0; i < n; i++) {
      server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    }
  }

  private String body() throws InterruptedException {
    RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    return r.getBody().utf8().replace("\\u003e", ">").replace("\\u0027", "'");
  }

  private static String form(RecordedRequest r) {
    return java.net.URLDecoder.decode(r.getBody().utf8(), StandardCharsets.UTF_8);
  }

  static DeployConfig.Slack slack(Optional<String> channel) {
    return new DeployConfig.Slack("SLACK_WEBHOOK_URL", "SLACK_BOT_TOKEN", channel);
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_ACTOR", "alice");
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_REPOSITORY", "acme/app");
    env.put("GITHUB_RUN_ID", "42");
    env.put("GITHUB_SHA", "abc1234");
    return env;
  }

  private Notifier webhook() {
    Map<String, String> env = env();
    env.put("SLACK_WEBHOOK_URL", server.url(HOOK_SENTINEL).toString());
    return Notifier.builder(slack(Optional.empty()), env)
        .timeout(Duration.ofSeconds(2))
        .maxRetryWait(Duration.ofSeconds(2))
        .build()
        .orElseThrow();
  }

  private Notifier token() {
    Map<String, String> env = env();
    env.put("SLACK_BOT_TOKEN", TOKEN_SENTINEL);
    env.put("SLACK_WEBHOOK_URL", server.url(HOOK_SENTINEL).toString());
    return Notifier.builder(slack(Optional.of("#deploys")), env)
        .methodsEndpointUrlPrefix(server.url("/api/").toString())
        .timeout(Duration.ofSeconds(2))
        .updateInterval(Duration.ofHours(1))
        .build()
        .orElseThrow();
  }

  interface Outcome {
    DeployResult result();

    default boolean ok() {
      return result().succeeded();
    }
  }

  static void emitStart(DeployListener l) {
    l.onEvent(
        new DeployEvent.DiscoveryDone(
            T0,
            "staging",
            "sample",
            List.of(
                new EnvironmentInfo(
                    "web-1", "e-1", "sample", Tier.WEB, "v1.1.0", "Ready", "Green", "arn"),
                new EnvironmentInfo(
                    "worker-1", "e-2", "sample", Tier.WORKER, "v1.1.0", "Ready", "Green", "arn")),
            List.of("staging")));
    l.onEvent(
        new DeployEvent.BundleCreated(
            T0, new BundleInfo(Path.of("x.zip"), "abcdef0123", 10, 1, "b", "k"), "v1.2.0"));
  }

  static java.util.function.Function<DeployListener, DeployResult> deploy(DeployResult result) {
    return l -> {
      emitStart(l);
      l.onEvent(new DeployEvent.UpdateRequested(T0, "web-1", "v1.2.0", Role.WEB));
      l.onEvent(new DeployEvent.EnvironmentChanged(T0, "web-1", "Updating", "Grey", "v1.1.0"));
      if (!result.succeeded()) {
        l.onEvent(
            new DeployEvent.BeanstalkEventReceived(
                T0, new BeanstalkEvent(T0, "web-1", "ERROR", "Failed to deploy application.")));
        l.onEvent(
            new DeployEvent.EnvironmentFailed(
                T0, "web-1", EnvironmentOutcome.FAILED, "a failure event"));
        throw new DeployFailedException(result);
      }
      l.onEvent(new DeployEvent.EnvironmentSucceeded(T0, "web-1", Duration.ofSeconds(60)));
      return result;
    };
  }

  static DeployResult success() {
    return new FakeResult(
        true,
        Optional.empty(),
        List.of(
            env("web-1", Tier.WEB, "v1.2.0", "Green", EnvironmentOutcome.SUCCEEDED, null),
            env("worker-1", Tier.WORKER, "v1.2.0", "Yellow", EnvironmentOutcome.SUCCEEDED, null)));
  }

  static DeployResult failure() {
    return new FakeResult(
        false,
        Optional.of("deploy of v1.2.0 to staging failed: web-1 failed"),
        List.of(
            env("web-1", Tier.WEB, "v1.1.0", "Red", EnvironmentOutcome.FAILED, "a failure event"),
            env(
                "worker-1",
                Tier.WORKER,
                "v1.1.0",
                "Green",
                EnvironmentOutcome.NOT_STARTED,
                "not started")));
  }

  static EnvironmentResult env(
      String name, Tier tier, String after, String health, EnvironmentOutcome o, String reason) {
    return new EnvironmentResult() {
      public String name() {
        return name;
      }

      public String id() {
        return "e-" + name;
      }

      public Tier tier() {
        return tier;
      }

      public Role role() {
        return tier == Tier.WEB ? Role.WEB : Role.WORKER;
      }

      public boolean migrator() {
        return tier == Tier.WEB;
      }

      public String labelBefore() {
        return "v1.1.0";
      }

      public String labelAfter() {
        return after;
      }

      public String status() {
        return "Ready";
      }

      public String health() {
        return health;
      }

      public EnvironmentOutcome outcome() {
        return o;
      }

      public Optional<String> reason() {
        return Optional.ofNullable(reason);
      }

      public Optional<Instant> requestedAt() {
        return Optional.of(T0);
      }

      public Duration duration() {
        return Duration.ofSeconds(60);
      }

      public List<BeanstalkEvent> events() {
        return List.of();
      }
    };
  }

  record FakeResult(
      boolean succeeded,
      Optional<String> failure,
      List<EnvironmentResult> environments,
      DeployOutcome outcome,
      Optional<String> snapshot)
      implements DeployResult {
    FakeResult(boolean succeeded, Optional<String> failure, List<EnvironmentResult> environments) {
      this(
          succeeded,
          failure,
          environments,
          succeeded ? DeployOutcome.SUCCEEDED : DeployOutcome.ROLLED_BACK,
          Optional.empty());
    }

    public String group() {
      return "staging";
    }

    public String application() {
      return "sample";
    }

    public String label() {
      return "v1.2.0";
    }

    public BundleInfo bundle() {
      return new BundleInfo(Path.of("x.zip"), "abcdef0123", 10, 1, "b", "k");
    }

    public boolean versionReused() {
      return false;
    }

    public boolean uploadSkipped() {
      return false;
    }

    public DeployConfig.MigrationPolicy policy() {
      return DeployConfig.MigrationPolicy.values()[0];
    }

    public Optional<String> migrator() {
      return Optional.of("web-1");
    }

    public Instant startedAt() {
      return T0;
    }

    public Instant finishedAt() {
      return T0.plusSeconds(90);
    }

    public String toJson() {
      return "{\"succeeded\":" + succeeded + ",\"group\":\"staging\"}";
    }
  }
}
