package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.api.LockedException;
import io.ebdeploy.api.RollbackReport;
import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.SandboxCall;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentRequest;

/** Paired rollback, the deploy lock, crash recovery, history and the rollback command. */
class RollbackTest {
  static final String WEB = "iaso-staging-web";
  static final String WORKER = "iaso-staging-worker";

  @TempDir Path dir;
  RollbackBench bench;
  RollbackBench.Group g;
  final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    bench = new RollbackBench();
  }

  @AfterEach
  void stop() {
    assertThat(bench.updatesToTarget)
        .as("updates sent to environments already on their target")
        .isEmpty();
    bench.close();
  }

  private RollbackBench.Group staging(String label) {
    g = bench.group("Iaso", "staging", List.of(WEB), List.of(WORKER), label);
    return g;
  }

  private EbDeploy deploy(String label) {
    return deploy(label, RollbackBench.config().build());
  }

  private EbDeploy deploy(String label, DeployConfig config) {
    return g.deploy(dir, label, config, events);
  }

  private DeployResult failed(EbDeploy d) {
    return catchThrowableOfType(DeployFailedException.class, d::deploy).result();
  }

  private <T extends DeployEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private void assertReleasedAndRecorded() {
    assertThat(g.object(GroupStore.LOCK)).as("lock").isEmpty();
    assertThat(g.object(GroupStore.RECORD)).as("record").isEmpty();
  }

  @Test
  void deploy_succeeds_lockTakenAndReleasedHistoryWritten() {
    staging("v0");

    DeployResult r = deploy("v1").deploy();

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(r.rollback()).isEmpty();
    assertThat(r.schemaNotReverted()).isFalse();
    assertThat(r.previousLabels()).containsExactly(Map.entry(WEB, "v0"), Map.entry(WORKER, "v0"));
    assertThat(r.calls().calls()).isPositive();
    assertThat(r.toJson())
        .contains("\"outcome\" : \"succeeded\"")
        .contains("\"previousLabels\"")
        .contains("\"calls\"");
    assertThat(events(DeployEvent.LockAcquired.class)).hasSize(1);
    assertThat(events(DeployEvent.LockReleased.class))
        .singleElement()
        .satisfies(e -> assertThat(e.released()).isTrue());
    assertReleasedAndRecorded();
    assertThat(g.history())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.label()).isEqualTo("v1");
              assertThat(h.outcome()).isEqualTo("succeeded");
              assertThat(h.consistentLabel()).contains("v1");
              assertThat(h.previousLabels()).containsEntry(WEB, "v0");
              assertThat(h.who()).isNotBlank();
            });
  }

  @Test
  void deploy_migratorFails_nothingToSendGroupStaysOnPrevious() {
    staging("v0");
    bench.sandbox.inject(Fault.instanceFailure(WEB));
    bench.sandbox.clearCalls();

    DeployResult r = failed(deploy("v1"));

    assertThat(r.outcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
    assertThat(r.rollback().orElseThrow().environments())
        .extracting(s -> s.outcome())
        .containsOnly(RollbackReport.StepOutcome.ALREADY_THERE);
    assertThat(bench.sandbox.calls().stream().filter(c -> c.action().equals("UpdateEnvironment")))
        .hasSize(1);
    assertThat(g.labels()).containsValues("v0", "v0");
    assertReleasedAndRecorded();
  }

  @Test
  void deploy_labelsDifferBefore_eachReturnsToItsOwn() {
    staging("v0");
    g.version("v0b");
    bench.eb.updateEnvironment(b -> b.environmentName(WORKER).versionLabel("v0b"));
    bench.awaitReady(g.all());
    bench.sandbox.inject(Fault.instanceFailure(WORKER));

    DeployResult r = failed(deploy("v1"));

    assertThat(events(DeployEvent.LabelsDiffer.class))
        .singleElement()
        .satisfies(
            e -> assertThat(e.labels()).containsEntry(WEB, "v0").containsEntry(WORKER, "v0b"));
    assertThat(r.outcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
    assertThat(g.labels()).containsEntry(WEB, "v0").containsEntry(WORKER, "v0b");
    assertThat(r.previousLabels()).containsEntry(WORKER, "v0b");
  }

  @Test
  void deploy_parallelHangTimesOut_abortedAndTheOtherRolledBack() {
    staging("v0");
    bench.sandbox.inject(Fault.hang(WORKER));
    DeployConfig parallel =
        RollbackBench.config()
            .migration(
                new DeployConfig.Migration(
                    DeployConfig.MigrationPolicy.PARALLEL, java.util.Optional.empty()))
            .build();

    DeployResult r = failed(deploy("v1", parallel));

    assertThat(r.outcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
    assertThat(r.environments())
        .filteredOn(e -> e.name().equals(WORKER))
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(EnvironmentOutcome.TIMED_OUT));
    assertThat(events(DeployEvent.Aborted.class))
        .extracting(DeployEvent.Aborted::environment)
        .contains(WORKER);
    assertThat(g.labels()).containsValues("v0", "v0");
    assertThat(g.statuses()).containsValues("Ready", "Ready");
  }

  @Test
  void deploy_cancelledWhileWaiting_abortsRollsBackAndEndsInterrupted() {
    staging("v0");
    bench.sandbox.configureEnvironment(WORKER, 400.0, null);
    EbDeploy d = deploy("v1");
    d.listener(
        e -> {
          events.add(e);
          if (e instanceof DeployEvent.UpdateRequested u && u.environment().equals(WORKER)) {
            d.cancel("SIGINT");
          }
        });

    DeployFailedException ex = catchThrowableOfType(DeployFailedException.class, d::deploy);

    assertThat(ex.kind()).isEqualTo(EbDeployException.Kind.INTERRUPTED);
    DeployResult r = ex.result();
    assertThat(r.outcome()).isEqualTo(DeployOutcome.INTERRUPTED);
    assertThat(r.interruption()).contains("SIGINT");
    assertThat(r.rollback().orElseThrow().succeeded()).isTrue();
    assertThat(events(DeployEvent.CancelRequested.class)).hasSize(1);
    assertThat(events(DeployEvent.Aborted.class))
        .extracting(DeployEvent.Aborted::environment)
        .containsExactly(WORKER);
    assertThat(g.labels()).containsValues("v0", "v0");
    assertThat(r.toJson())
        .contains("\"outcome\" : \"interrupted\"")
        .contains("\"interrupted\" : true");
    assertReleasedAndRecorded();
    assertThat(g.history())
        .first()
        .satisfies(h -> assertThat(h.outcome()).isEqualTo("interrupted"));
  }

  @Test
  void deploy_cancelledBeforeFirstUpdate_changesNoEnvironment() {
    staging("v0");
    EbDeploy d = deploy("v1");
    d.listener(
        e -> {
          events.add(e);
          if (e instanceof DeployEvent.UploadDone) {
            d.cancel("SIGTERM");
          }
        });
    bench.sandbox.clearCalls();

    DeployFailedException ex = catchThrowableOfType(DeployFailedException.class, d::deploy);

    assertThat(ex.kind()).isEqualTo(EbDeployException.Kind.INTERRUPTED);
    assertThat(ex.result().rollback()).isEmpty();
    assertThat(ex.result().environments())
        .extracting(e -> e.outcome())
        .containsOnly(EnvironmentOutcome.NOT_STARTED);
    assertThat(ex.getMessage()).contains("no environment was updated");
    assertThat(bench.sandbox.calls()).noneMatch(c -> c.action().equals("UpdateEnvironment"));
    assertReleasedAndRecorded();
    assertThat(g.history())
        .first()
        .satisfies(h -> assertThat(h.outcome()).isEqualTo("interrupted"));
  }

  @Test
  void deploy_rollbackRefused_rollbackFailedWithExactInstructions() {
    staging("v0");
    bench.sandbox.inject(Fault.instanceFailure(WORKER));
    String webId = g.id(WEB);
    EbDeploy d =
        bench.client(
            deploy("v1"),
            events,
            List.of(
                RollbackBench.before(
                    r ->
                        r instanceof UpdateEnvironmentRequest u
                            && webId.equals(u.environmentId())
                            && "v0".equals(u.versionLabel()),
                    () ->
                        bench.sandbox.inject(
                            Fault.apiError(
                                "elasticbeanstalk", "UpdateEnvironment", "AccessDenied", 403)))));

    DeployFailedException ex = catchThrowableOfType(DeployFailedException.class, d::deploy);

    assertThat(ex.kind()).isEqualTo(EbDeployException.Kind.ROLLBACK_FAILED);
    DeployResult r = ex.result();
    assertThat(r.outcome()).isEqualTo(DeployOutcome.ROLLBACK_FAILED);
    RollbackReport rb = r.rollback().orElseThrow();
    assertThat(rb.succeeded()).isFalse();
    assertThat(rb.environments())
        .extracting(s -> s.environment() + " " + s.outcome().wireName() + " " + s.labelNow())
        .containsExactly(WEB + " failed v1", WORKER + " already-there v0");
    assertThat(rb.instructions())
        .anySatisfy(
            i ->
                assertThat(i)
                    .contains(WEB + " runs v1 (previous: v0)")
                    .contains(WORKER + " runs v0"))
        .anySatisfy(i -> assertThat(i).contains("eb-deploy rollback staging --to v0"))
        .anySatisfy(i -> assertThat(i).contains("eb-deploy status staging"));
    assertThat(ex.getMessage())
        .contains("THE ROLLBACK FAILED")
        .contains("eb-deploy rollback staging --to v0");
    assertThat(r.toJson())
        .contains("\"outcome\" : \"rollback-failed\"")
        .contains("\"instructions\"");
    assertReleasedAndRecorded();
    assertThat(g.history())
        .first()
        .satisfies(
            h -> {
              assertThat(h.outcome()).isEqualTo("rollback-failed");
              assertThat(h.consistentLabel()).isEmpty();
            });

    // The instruction works: the rollback command takes the group back to v0.
    events.clear();
    DeployResult back = g.forGroup(RollbackBench.config().build(), events).rollbackTo("v0");
    assertThat(back.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(g.labels()).containsValues("v0", "v0");
    assertThat(events(DeployEvent.UpdateRequested.class))
        .extracting(DeployEvent.UpdateRequested::environment)
        .containsExactly(WEB);
  }

  @Test
  void deploy_neverDeployedEnvironments_cannotReturnToNoVersion() {
    staging(null);
    bench.sandbox.inject(Fault.instanceFailure(WORKER));

    DeployResult r = failed(deploy("v1"));

    assertThat(r.outcome()).isEqualTo(DeployOutcome.ROLLBACK_FAILED);
    assertThat(r.rollback().orElseThrow().environments())
        .extracting(s -> s.environment() + " " + s.outcome().wireName())
        .containsExactly(WEB + " no-previous-version", WORKER + " already-there");
    assertThat(r.rollback().orElseThrow().instructions())
        .anySatisfy(i -> assertThat(i).contains(WEB + " ran no version before this deploy"));
    assertThat(g.labels()).containsEntry(WEB, "v1").containsEntry(WORKER, "");
  }

  @Test
  void lock_heldByLiveDeploy_refusedAtOnceNamingHolderAndNothingChanged() {
    staging("v0");
    Instant now = Instant.now();
    g.put(
        GroupStore.LOCK,
        "{\"owner\":\"alice\",\"host\":\"ci-7\",\"pid\":"
            + ProcessHandle.current().pid()
            + ",\"pidSpace\":\"elsewhere\",\"ciRunUrl\":\"https://ci.example/run/42\",\"command\":\"deploy\",\"label\":\"v9\","
            + "\"startedAt\":\""
            + now
            + "\",\"heartbeatAt\":\""
            + now
            + "\",\"ttlMillis\":900000}");
    bench.sandbox.clearCalls();

    LockedException e = catchThrowableOfType(LockedException.class, () -> deploy("v1").deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.LOCKED);
    assertThat(e.getMessage())
        .contains("alice on ci-7")
        .contains("https://ci.example/run/42")
        .contains("deploy of v9")
        .contains("eb-deploy unlock staging");
    assertThat(e.holder().owner()).isEqualTo("alice");
    assertThat(e.toMap()).containsEntry("outcome", "locked");
    assertThat(bench.sandbox.calls()).noneMatch(SandboxCall::mutating);
    assertThat(g.object(GroupStore.LOCK)).isPresent();
  }

  @Test
  void lock_staleHeartbeat_takenOverAndReleased() {
    staging("v0");
    Instant old = Instant.now().minus(Duration.ofHours(1));
    g.put(
        GroupStore.LOCK,
        "{\"owner\":\"bob\",\"host\":\"gone\",\"pid\":1,\"pidSpace\":\"elsewhere\",\"command\":\"deploy\",\"label\":\"v9\","
            + "\"startedAt\":\""
            + old
            + "\",\"heartbeatAt\":\""
            + old
            + "\",\"ttlMillis\":900000}");

    DeployResult r = deploy("v1").deploy();

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(events(DeployEvent.LockAcquired.class))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.takenOverFrom())
                    .hasValueSatisfying(h -> assertThat(h.owner()).isEqualTo("bob")));
    assertReleasedAndRecorded();
  }

  @Test
  void lock_holderProcessGoneOnThisMachine_takenOverAtOnce() throws Exception {
    staging("v0");
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Identity me = Identity.current();
    Instant now = Instant.now();
    g.put(
        GroupStore.LOCK,
        "{\"owner\":\"carol\",\"host\":\""
            + me.host()
            + "\",\"pid\":"
            + p.pid()
            + ",\"pidSpace\":\""
            + me.pidSpace()
            + "\",\"command\":\"deploy\",\"label\":\"v9\","
            + "\"startedAt\":\""
            + now
            + "\",\"heartbeatAt\":\""
            + now
            + "\",\"ttlMillis\":900000}");

    DeployResult r = deploy("v1").deploy();

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(events(DeployEvent.LockAcquired.class).get(0).takenOverFrom()).isPresent();
  }

  @Test
  void lock_heartbeatKeepsItFresh() {
    staging("v0");
    bench.sandbox.configureEnvironment(WEB, 600.0, null);
    DeployConfig shortTtl =
        RollbackBench.config().lock(new DeployConfig.Lock(Duration.ofMillis(200))).build();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    EbDeploy d = deploy("v1", shortTtl);
    d.listener(
        e -> {
          events.add(e);
          if (e instanceof DeployEvent.EnvironmentSucceeded s && s.environment().equals(WEB)) {
            g.object(GroupStore.LOCK).ifPresent(seen::add);
          }
        });

    d.deploy();

    assertThat(seen)
        .singleElement()
        .satisfies(
            json -> {
              var m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
              Instant started = Instant.parse((String) m.get("startedAt"));
              Instant beat = Instant.parse((String) m.get("heartbeatAt"));
              assertThat(beat).isAfter(started);
            });
    assertReleasedAndRecorded();
  }

  @Test
  void lock_takenOverWhileRunning_oldOwnerStopsAndNeverReleasesTheNewLock() {
    staging("v0");
    bench.sandbox.configureEnvironment(WORKER, 800.0, null);
    DeployConfig shortTtl =
        RollbackBench.config().lock(new DeployConfig.Lock(Duration.ofMillis(200))).build();
    EbDeploy d = deploy("v1", shortTtl);
    String intruder =
        "{\"owner\":\"dave\",\"host\":\"other\",\"pid\":7,\"command\":\"deploy\",\"label\":\"v7\",\"startedAt\":\""
            + Instant.now()
            + "\",\"heartbeatAt\":\""
            + Instant.now().plusSeconds(3600)
            + "\"}";
    d.listener(
        e -> {
          events.add(e);
          if (e instanceof DeployEvent.UpdateRequested u && u.environment().equals(WORKER)) {
            g.put(GroupStore.LOCK, intruder);
          }
        });

    DeployFailedException ex = catchThrowableOfType(DeployFailedException.class, d::deploy);

    assertThat(ex.result().outcome()).isEqualTo(DeployOutcome.INTERRUPTED);
    assertThat(ex.result().interruption())
        .hasValueSatisfying(s -> assertThat(s).contains("taken over"));
    assertThat(g.labels()).containsValues("v0", "v0");
    assertThat(g.object(GroupStore.LOCK)).hasValueSatisfying(s -> assertThat(s).contains("dave"));
    assertThat(events(DeployEvent.LockReleased.class))
        .singleElement()
        .satisfies(e -> assertThat(e.released()).isFalse());
  }

  @Test
  void unlock_removesTheLockAndKeepsTheRecord() {
    staging("v0");
    Instant now = Instant.now();
    g.put(
        GroupStore.LOCK,
        "{\"owner\":\"erin\",\"host\":\"h\",\"pid\":3,\"command\":\"deploy\",\"label\":\"v2\",\"startedAt\":\""
            + now
            + "\",\"heartbeatAt\":\""
            + now
            + "\"}");
    g.put(
        GroupStore.RECORD,
        "{\"id\":\"r1\",\"command\":\"deploy\",\"label\":\"v2\",\"phase\":\"preparing\",\"startedAt\":\""
            + now
            + "\"}");

    var removed = g.forGroup(RollbackBench.config().build(), events).unlock();

    assertThat(removed).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("erin"));
    assertThat(g.object(GroupStore.LOCK)).isEmpty();
    assertThat(g.object(GroupStore.RECORD)).isPresent();
    assertThat(g.forGroup(RollbackBench.config().build(), events).unlock()).isEmpty();
  }

  /** A deploy of v2 killed after updating the web: its lock (dead process) and record are left. */
  private void killedDeploy(String phase) throws Exception {
    if (g.history().stream().noneMatch(h -> h.label().equals("v2"))) {
      g.version("v2");
    }
    Instant now = Instant.now();
    bench.eb.updateEnvironment(b -> b.environmentName(WEB).versionLabel("v2"));
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Identity me = Identity.current();
    g.put(
        GroupStore.LOCK,
        "{\"owner\":\"ci\",\"host\":\""
            + me.host()
            + "\",\"pid\":"
            + p.pid()
            + ",\"pidSpace\":\""
            + me.pidSpace()
            + "\",\"command\":\"deploy\",\"label\":\"v2\","
            + "\"startedAt\":\""
            + now
            + "\",\"heartbeatAt\":\""
            + now
            + "\",\"ttlMillis\":900000}");
    g.put(
        GroupStore.RECORD,
        "{\"id\":\"killed-1\",\"command\":\"deploy\",\"application\":\"Iaso\",\"group\":\"staging\",\"label\":\"v2\","
            + "\"owner\":\"ci\",\"host\":\""
            + me.host()
            + "\",\"startedAt\":\""
            + now
            + "\",\"updatedAt\":\""
            + now
            + "\","
            + "\"phase\":\""
            + phase
            + "\",\"previousLabels\":{\""
            + WEB
            + "\":\"v1\",\""
            + WORKER
            + "\":\"v1\"},"
            + "\"environmentIds\":{\""
            + WEB
            + "\":\""
            + g.id(WEB)
            + "\",\""
            + WORKER
            + "\":\""
            + g.id(WORKER)
            + "\"},"
            + "\"requested\":{\""
            + WEB
            + "\":\""
            + now
            + "\"}}");
  }

  @Test
  void recovery_killedMidDeploy_nextDeployConvergesFirstThenDeploys() throws Exception {
    staging("v1");
    killedDeploy("deploying");

    DeployResult r = deploy("v3").deploy();

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(r.recovered())
        .hasValueSatisfying(
            d -> {
              assertThat(d.id()).isEqualTo("killed-1");
              assertThat(d.convergedTo()).contains("interrupted");
            });
    assertThat(events(DeployEvent.InterruptedDeployFound.class)).hasSize(1);
    // converged (web back to v1) before the new deploy's first update
    List<String> order =
        events.stream()
            .filter(
                e ->
                    e instanceof DeployEvent.UpdateRequested
                        || e instanceof DeployEvent.InterruptedDeployConverged)
            .map(
                e ->
                    e instanceof DeployEvent.UpdateRequested u
                        ? u.environment() + "->" + u.label()
                        : "converged")
            .toList();
    assertThat(order).containsExactly(WEB + "->v1", "converged", WEB + "->v3", WORKER + "->v3");
    assertThat(g.labels()).containsValues("v3", "v3");
    assertThat(g.history())
        .extracting(h -> h.label() + ":" + h.outcome() + (h.recovered() ? ":recovered" : ""))
        .containsExactly("v3:succeeded", "v2:interrupted:recovered");
    assertReleasedAndRecorded();
  }

  @Test
  void recovery_killedAfterEveryUpdate_confirmedSucceeded() throws Exception {
    staging("v1");
    killedDeploy("deploying");
    bench.eb.updateEnvironment(b -> b.environmentName(WORKER).versionLabel("v2"));
    bench.awaitReady(g.all());

    DeployResult r = g.forGroup(RollbackBench.config().build(), events).rollbackTo("v2");

    assertThat(r.recovered().orElseThrow().convergedTo()).contains("succeeded");
    assertThat(events(DeployEvent.UpdateRequested.class)).isEmpty();
    assertThat(g.history())
        .extracting(h -> h.command() + ":" + h.label() + ":" + h.outcome())
        .containsExactly("rollback:v2:succeeded", "deploy:v2:succeeded");
  }

  @Test
  void recovery_killedWhileRollingBack_finishesTheRollback() throws Exception {
    staging("v1");
    killedDeploy("rolling-back");
    bench.awaitReady(g.all());

    DeployResult r = g.forGroup(RollbackBench.config().build(), events).rollbackTo("v1");

    assertThat(r.recovered().orElseThrow().convergedTo()).contains("interrupted");
    assertThat(events(DeployEvent.UpdateRequested.class))
        .extracting(u -> u.environment() + "->" + u.label())
        .containsExactly(WEB + "->v1");
    assertThat(g.labels()).containsValues("v1", "v1");
    assertThat(g.history())
        .extracting(h -> h.command() + ":" + h.label() + ":" + h.outcome())
        .containsExactly("rollback:v1:succeeded", "deploy:v2:interrupted");
  }

  @Test
  void recovery_killedWhilePreparing_nothingToUndoRecordedInterrupted() throws Exception {
    staging("v1");
    killedDeploy("preparing");
    bench.eb.updateEnvironment(b -> b.environmentName(WEB).versionLabel("v1"));
    bench.awaitReady(g.all());
    // preparing: no previous labels were recorded, nothing was updated by the killed run
    g.put(
        GroupStore.RECORD,
        g.object(GroupStore.RECORD)
            .orElseThrow()
            .replaceAll("\"previousLabels\":\\{[^}]*\\}", "\"previousLabels\":{}"));
    bench.sandbox.clearCalls();

    DeployResult r = deploy("v3").deploy();

    assertThat(r.recovered().orElseThrow().convergedTo()).contains("interrupted");
    assertThat(g.history())
        .extracting(h -> h.label() + ":" + h.outcome())
        .containsExactly("v3:succeeded", "v2:interrupted");
  }

  @Test
  void recovery_killedAfterFinishing_onlyWritesItsHistoryEntry() throws Exception {
    staging("v1");
    killedDeploy("deploying");
    bench.eb.updateEnvironment(b -> b.environmentName(WORKER).versionLabel("v2"));
    bench.awaitReady(g.all());
    g.put(
        GroupStore.RECORD,
        g.object(GroupStore.RECORD)
            .orElseThrow()
            .replace("\"phase\":\"deploying\"", "\"phase\":\"finished\",\"outcome\":\"succeeded\"")
            .replace(
                "\"requested\"",
                "\"labelsAfter\":{\""
                    + WEB
                    + "\":\"v2\",\""
                    + WORKER
                    + "\":\"v2\"},\"requested\""));

    GroupStatus before = g.forGroup(RollbackBench.config().build(), events).status();
    assertThat(before.interruptedDeploy())
        .hasValueSatisfying(d -> assertThat(d.phase()).isEqualTo("finished"));
    DeployResult r = g.forGroup(RollbackBench.config().build(), events).rollbackTo("v2");

    assertThat(r.recovered().orElseThrow().convergedTo()).contains("succeeded");
    assertThat(events(DeployEvent.UpdateRequested.class)).isEmpty();
    assertThat(g.history().get(1).recovered()).isTrue();
    assertThat(g.history().get(1).consistentLabel()).contains("v2");
  }

  @Test
  void status_showsLockHolderInterruptedDeployAndHistory() throws Exception {
    staging("v1");
    deploy("v2").deploy();
    killedDeploy("deploying");

    GroupStatus s = g.forGroup(RollbackBench.config().build(), events).status();

    assertThat(s.lock()).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("ci"));
    assertThat(s.interruptedDeploy())
        .hasValueSatisfying(
            d -> {
              assertThat(d.label()).isEqualTo("v2");
              assertThat(d.phase()).isEqualTo("deploying");
              assertThat(d.convergedTo()).isEmpty();
            });
    assertThat(s.history()).extracting(h -> h.label()).containsExactly("v2");
    assertThat(s.toJson())
        .contains("\"lock\"")
        .contains("\"interruptedDeploy\"")
        .contains("\"history\"");
  }

  @Test
  void rollback_walksBackOneReleaseAtATime_andToANamedLabel() {
    staging("v0");
    deploy("v1").deploy();
    deploy("v2").deploy();
    deploy("v3").deploy();
    EbDeploy group = g.forGroup(RollbackBench.config().build(), events);

    assertThat(group.rollback().label()).isEqualTo("v2");
    assertThat(g.labels()).containsValues("v2", "v2");
    assertThat(group.rollback().label()).isEqualTo("v1");
    assertThat(g.labels()).containsValues("v1", "v1");
    assertThat(group.rollbackTo("v3").label()).isEqualTo("v3");
    assertThat(g.labels()).containsValues("v3", "v3");
    assertThat(g.history())
        .extracting(h -> h.command() + ":" + h.label())
        .startsWith("rollback:v3", "rollback:v1", "rollback:v2", "deploy:v3");

    EbDeployException missing =
        catchThrowableOfType(EbDeployException.class, () -> group.rollbackTo("v9"));
    assertThat(missing.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(missing.getMessage()).contains("application version v9 of Iaso does not exist");
    assertReleasedAndRecorded();
  }

  @Test
  void rollback_noHistory_refusedNamingTheFix() {
    staging("v0");

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class,
            () -> g.forGroup(RollbackBench.config().build(), events).rollback());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("no earlier release of staging").contains("--to LABEL");
    assertReleasedAndRecorded();
  }

  @Test
  void rollback_splitGroup_onlyTheEnvironmentsOffTargetAreUpdated() {
    staging("v1");
    g.version("v2");
    bench.eb.updateEnvironment(b -> b.environmentName(WEB).versionLabel("v2"));
    bench.awaitReady(g.all());

    DeployResult r = g.forGroup(RollbackBench.config().build(), events).rollbackTo("v1");

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(r.command()).isEqualTo("rollback");
    assertThat(events(DeployEvent.UpdateRequested.class))
        .extracting(DeployEvent.UpdateRequested::environment)
        .containsExactly(WEB);
    assertThat(g.labels()).containsValues("v1", "v1");
  }

  @Test
  void throttling_thirtyPercentOfCalls_fourEnvironmentDeploySucceedsAndCountsCalls() {
    g =
        bench.group(
            "Iaso",
            "staging",
            List.of(WEB, "iaso-staging-web2"),
            List.of(WORKER, "iaso-staging-worker2"),
            "v0");
    bench.sandbox.clearCalls();
    bench.sandbox.inject(Fault.throttle(0.3));

    DeployResult r;
    try {
      r = deploy("v1").deploy();
    } finally {
      bench.sandbox.clearFaults();
    }

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    assertThat(g.labels().values()).containsOnly("v1");
    long throttled =
        bench.sandbox.calls().stream().filter(c -> c.status() == 400 || c.status() == 503).count();
    assertThat(throttled).isPositive();
    assertThat(r.calls().retries()).isGreaterThanOrEqualTo(throttled / 2);
    assertThat(r.calls().attempts()).isEqualTo(r.calls().calls() + r.calls().retries());
    assertThat(r.toJson()).contains("\"retries\" : " + r.calls().retries());
  }

  /**
   * Deploys v2 over v1, AWS throttling nine calls in ten from the first event of type {@code when}:
   * the group is changing then. Returns what the run threw, or null.
   */
  private Throwable deployThrottledFrom(Class<? extends DeployEvent> when) {
    java.util.concurrent.atomic.AtomicBoolean injected =
        new java.util.concurrent.atomic.AtomicBoolean();
    try {
      deploy("v2")
          .listener(
              e -> {
                events.add(e);
                if (when.isInstance(e) && injected.compareAndSet(false, true)) {
                  bench.sandbox.inject(Fault.throttle(0.9));
                }
              })
          .deploy();
      return null;
    } catch (EbDeployException e) {
      return e;
    } finally {
      bench.sandbox.clearFaults();
      assertThat(injected).as("the storm began").isTrue();
    }
  }

  /** Every environment Ready on one label; lock and record gone. */
  private void assertOneLabelAndClean() {
    bench.awaitReady(g.all());
    assertThat(new java.util.HashSet<>(g.labels().values())).as("labels: " + g.labels()).hasSize(1);
    assertThat(g.object(GroupStore.LOCK)).as("lock").isEmpty();
    assertThat(g.object(GroupStore.RECORD)).as("record").isEmpty();
  }

  @Test
  void throttlingStormAfterTheFirstUpdate_runEndsWithTheGroupOnOneLabel() {
    staging("v1");

    Throwable t = deployThrottledFrom(DeployEvent.UpdateRequested.class);

    assertOneLabelAndClean();
    if (t != null) {
      assertThat(t.getMessage()).doesNotContain("THE ROLLBACK FAILED");
    }
  }

  @Test
  void throttlingStormWhenTheRollbackBegins_itStillReturnsTheGroup() {
    staging("v1");
    bench.sandbox.inject(Fault.instanceFailure(WORKER));

    Throwable t = deployThrottledFrom(DeployEvent.RollbackStarted.class);

    assertThat(t).isInstanceOf(EbDeployException.class);
    assertThat(((EbDeployException) t).kind()).isEqualTo(EbDeployException.Kind.DEPLOY_FAILED);
    assertOneLabelAndClean();
    assertThat(g.labels().values()).containsOnly("v1");
  }

  @Test
  void twoDeploysStartedTogether_exactlyOneProceedsEachTime() throws Exception {
    staging("v0");
    // Each deploy lasts over a second, so that the second one reaches the lock while the first
    // holds it even on a loaded machine: "together" stays together.
    bench.sandbox.configureEnvironment(WEB, 600.0, null);
    bench.sandbox.configureEnvironment(WORKER, 600.0, null);
    for (int round = 1; round <= 10; round++) {
      String a = "a" + round;
      String b = "b" + round;
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (String label : List.of(a, b)) {
        EbDeploy d = deploy(label);
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                    outcomes.add(d.deploy().outcome());
                  } catch (LockedException e) {
                    outcomes.add(e);
                  } catch (Exception e) {
                    outcomes.add(e);
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertThat(outcomes).as("round " + round).hasSize(2);
      assertThat(outcomes)
          .filteredOn(o -> o == DeployOutcome.SUCCEEDED)
          .as("round " + round)
          .hasSize(1);
      assertThat(outcomes)
          .filteredOn(o -> o instanceof LockedException)
          .as("round " + round)
          .hasSize(1);
      assertThat(new java.util.HashSet<>(g.labels().values())).hasSize(1).containsAnyOf(a, b);
      assertReleasedAndRecorded();
    }
    assertThat(g.history()).hasSize(10);
  }
}
