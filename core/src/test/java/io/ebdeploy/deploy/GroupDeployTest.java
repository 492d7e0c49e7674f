package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.SandboxCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group deploy (waves, roles, the polling loop, the verdicts) against the sandbox through the
 * real SDK. The application version is created directly, so these tests need no bundle upload.
 */
class GroupDeployTest {
  static final String APP = "Iaso";
  static final String WEB = "iaso-staging-web";
  static final String WORKER = "iaso-staging-worker";

  SandboxFixture fx;
  final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    fx = new SandboxFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  /** Discovery then DeployGroupStep, as the pipeline runs them, for a version made here. */
  private Map<String, GroupWatcher.Run> deploy(String label, DeployConfig config) {
    fx.eb.createApplicationVersion(b -> b.applicationName(APP).versionLabel(label));
    fx.sandbox.clearCalls();
    Engine.Request request =
        new Engine.Request(
            Optional.empty(),
            Optional.empty(),
            "staging",
            config,
            Optional.of(fx.sandbox.endpoint()),
            Optional.of(label),
            false,
            events::add,
            Duration.ofMillis(5),
            Duration.ofMillis(40),
            Duration.ofMillis(400),
            Optional.of(SandboxFixture.CREDENTIALS),
            Optional.of(SandboxFixture.FAST_RETRIES));
    try (AwsClients aws = Engine.clients(request)) {
      DeployContext ctx = FindEnvironmentsStep.run(Engine.context(request, aws));
      ctx =
          ctx.withBundle(
              label, new BundleInfo(null, "0".repeat(64), 1, 1, "b", APP + "/x.zip"), List.of());
      return DeployGroupStep.run(ctx).stream()
          .collect(
              Collectors.toMap(
                  GroupWatcher.Run::name,
                  Function.identity(),
                  (a, b) -> a,
                  java.util.LinkedHashMap::new));
    }
  }

  private Map<String, GroupWatcher.Run> deploy(String label) {
    return deploy(label, fx.config().build());
  }

  private List<String> updated() {
    return fx.calls("UpdateEnvironment").stream()
        .map(c -> (String) c.params().get("EnvironmentId"))
        .map(id -> fx.eb.describeEnvironments(b -> b.environmentIds(id)).environments())
        .map(l -> l.get(0).environmentName())
        .toList();
  }

  private <T extends DeployEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void deploy_webAndWorker_bothSucceedOnOneLabelWithRoles() {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    assertThat(runs.values())
        .allSatisfy(
            r -> {
              assertThat(r.outcome).isEqualTo(EnvironmentOutcome.SUCCEEDED);
              assertThat(r.label).isEqualTo("v1");
            });
    assertThat(fx.describe(WEB).versionLabel()).isEqualTo("v1");
    assertThat(fx.describe(WORKER).versionLabel()).isEqualTo("v1");
    assertThat(fx.properties(APP, WEB)).containsEntry("EB_DEPLOY_ROLE", "web");
    assertThat(fx.properties(APP, WORKER)).containsEntry("EB_DEPLOY_ROLE", "worker");
    // web-first: the worker is asked only once the migrator succeeded
    List<String> order =
        events.stream()
            .filter(
                e ->
                    e instanceof DeployEvent.EnvironmentSucceeded
                        || e instanceof DeployEvent.UpdateRequested)
            .map(
                e ->
                    e instanceof DeployEvent.UpdateRequested u
                        ? "request " + u.environment()
                        : "success " + ((DeployEvent.EnvironmentSucceeded) e).environment())
            .toList();
    assertThat(order)
        .containsExactly(
            "request " + WEB, "success " + WEB, "request " + WORKER, "success " + WORKER);
    assertThat(runs.get(WEB).events)
        .anySatisfy(e -> assertThat(e.message()).contains("Environment update completed"));
    assertThat(events(DeployEvent.BeanstalkEventReceived.class)).isNotEmpty();
  }

  @Test
  void deploy_webAndThreeWorkers_allSucceedOnOneLabel() {
    List<String> workers = List.of("iaso-staging-w1", "iaso-staging-w2", "iaso-staging-w3");
    fx.group(APP, "staging", List.of(WEB), workers);

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    assertThat(runs).hasSize(4);
    assertThat(runs.values()).extracting(r -> r.outcome).containsOnly(EnvironmentOutcome.SUCCEEDED);
    for (String w : workers) {
      assertThat(fx.describe(w).versionLabel()).isEqualTo("v1");
      assertThat(fx.properties(APP, w)).containsEntry("EB_DEPLOY_ROLE", "worker");
    }
    assertThat(fx.properties(APP, WEB)).containsEntry("EB_DEPLOY_ROLE", "web");
    assertThat(updated()).containsExactly(WEB, workers.get(0), workers.get(1), workers.get(2));
  }

  @Test
  void deploy_twoWebs_secondaryWebGetsWebSecondary() {
    fx.group(APP, "staging", List.of(WEB, "iaso-staging-web2"), List.of(WORKER));

    deploy("v1");

    assertThat(fx.properties(APP, WEB)).containsEntry("EB_DEPLOY_ROLE", "web");
    assertThat(fx.properties(APP, "iaso-staging-web2"))
        .containsEntry("EB_DEPLOY_ROLE", "web-secondary");
  }

  @Test
  void deploy_migratorFails_othersNeverStart() {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER, "iaso-staging-w2"));
    fx.sandbox.inject(Fault.instanceFailure(WEB));

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    assertThat(runs.get(WEB).outcome).isIn(EnvironmentOutcome.FAILED, EnvironmentOutcome.REVERTED);
    assertThat(runs.get(WEB).reason).contains("Beanstalk:");
    assertThat(runs.get(WORKER).outcome).isEqualTo(EnvironmentOutcome.NOT_STARTED);
    assertThat(runs.get(WORKER).reason).contains("migrator " + WEB);
    assertThat(runs.get("iaso-staging-w2").outcome).isEqualTo(EnvironmentOutcome.NOT_STARTED);
    assertThat(updated()).containsExactly(WEB);
    assertThat(fx.describe(WORKER).versionLabel()).isNull();
  }

  @Test
  void deploy_workerRevertedByBeanstalk_reportedRevertedNeverSuccess() {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    fx.eb.createApplicationVersion(b -> b.applicationName(APP).versionLabel("v0"));
    fx.eb.updateEnvironment(b -> b.environmentName(WORKER).versionLabel("v0"));
    fx.eb.updateEnvironment(b -> b.environmentName(WEB).versionLabel("v0"));
    fx.awaitReady(WEB, WORKER);
    fx.sandbox.inject(Fault.instanceFailure(WORKER));

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    GroupWatcher.Run worker = runs.get(WORKER);
    assertThat(worker.outcome).isEqualTo(EnvironmentOutcome.REVERTED);
    assertThat(worker.before.versionLabel()).isEqualTo("v0");
    assertThat(worker.label).isEqualTo("v0");
    assertThat(worker.reason).contains("returned it to v0");
    assertThat(runs.get(WEB).outcome).isEqualTo(EnvironmentOutcome.SUCCEEDED);
    assertThat(events(DeployEvent.EnvironmentSucceeded.class))
        .extracting(DeployEvent.EnvironmentSucceeded::environment)
        .containsExactly(WEB);
  }

  @Test
  void deploy_hang_timesOutAndIsAborted() {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    fx.sandbox.inject(Fault.hang(WORKER));
    DeployConfig config =
        fx.config()
            .timeouts(
                new DeployConfig.Timeouts(
                    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(600)))
            .build();

    Map<String, GroupWatcher.Run> runs = deploy("v1", config);

    GroupWatcher.Run worker = runs.get(WORKER);
    assertThat(worker.outcome).isEqualTo(EnvironmentOutcome.TIMED_OUT);
    assertThat(worker.reason).contains("aborted");
    assertThat(fx.calls("AbortEnvironmentUpdate")).hasSize(1);
    assertThat(fx.calls("AbortEnvironmentUpdate").get(0).params())
        .containsEntry("EnvironmentId", worker.before.id());
    assertThat(Duration.between(worker.requestedAt, worker.decidedAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(600));
    assertThat(events(DeployEvent.Aborted.class)).hasSize(1);
    assertThat(runs.get(WEB).outcome).isEqualTo(EnvironmentOutcome.SUCCEEDED);
  }

  @Test
  void deploy_workerYellow_accepted() {
    fx.sandbox.configureEnvironment(WORKER, null, "Yellow");
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    assertThat(runs.get(WORKER).outcome).isEqualTo(EnvironmentOutcome.SUCCEEDED);
    assertThat(runs.get(WORKER).health).isEqualTo("Yellow");
  }

  @Test
  void deploy_webYellow_notAccepted() {
    fx.sandbox.configureEnvironment(WEB, null, "Yellow");
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    assertThat(runs.get(WEB).outcome).isEqualTo(EnvironmentOutcome.FAILED);
    assertThat(runs.get(WEB).reason).contains("health Yellow is not accepted");
    assertThat(runs.get(WORKER).outcome).isEqualTo(EnvironmentOutcome.NOT_STARTED);
  }

  @Test
  void deploy_throttled30Percent_stillSucceeds() {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER, "iaso-staging-w2"));
    fx.sandbox.inject(Fault.throttle(0.3));

    Map<String, GroupWatcher.Run> runs = deploy("v1");

    assertThat(runs.values()).extracting(r -> r.outcome).containsOnly(EnvironmentOutcome.SUCCEEDED);
    assertThat(fx.sandbox.calls()).anySatisfy(c -> assertThat(c.status()).isEqualTo(400));
  }

  @Test
  void tick_fourEnvironments_oneDescribeEnvironmentsAndOneDescribeEventsPerTick() {
    List<String> workers = List.of("iaso-staging-w1", "iaso-staging-w2", "iaso-staging-w3");
    fx.group(APP, "staging", List.of(WEB), workers);
    DeployConfig parallel =
        fx.config()
            .migration(
                new DeployConfig.Migration(DeployConfig.MigrationPolicy.PARALLEL, Optional.empty()))
            .build();

    Map<String, GroupWatcher.Run> runs = deploy("v1", parallel);

    assertThat(runs.values()).extracting(r -> r.outcome).containsOnly(EnvironmentOutcome.SUCCEEDED);
    List<SandboxCall> calls = fx.sandbox.calls();
    int lastUpdate = 0;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).action().equals("UpdateEnvironment")) {
        lastUpdate = i;
      }
    }
    List<SandboxCall> watching = calls.subList(lastUpdate + 1, calls.size());
    assertThat(watching.size()).isGreaterThanOrEqualTo(2).isEven();
    for (int i = 0; i < watching.size(); i += 2) {
      SandboxCall environments = watching.get(i);
      SandboxCall log = watching.get(i + 1);
      assertThat(environments.action()).isEqualTo("DescribeEnvironments");
      assertThat(
              environments.params().keySet().stream().filter(k -> k.startsWith("EnvironmentIds")))
          .hasSize(4);
      assertThat(log.action()).isEqualTo("DescribeEvents");
      assertThat(log.params()).containsEntry("ApplicationName", APP);
    }
  }
}
