package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.RollbackReport;
import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.SandboxCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.elasticbeanstalk.model.CreateApplicationVersionRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeApplicationVersionsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEnvironmentsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The generated fault matrix: every phase of a deploy x the environment the fault is aimed at (web
 * or worker) x five faults, 70 cases, each on a fresh group (web migrator, second web, worker) on
 * v1 deploying v2. Whatever the case, the end state must be: every environment Ready on one label
 * (or the rollback-failed outcome with the exact command to run next), the lock released, the
 * record gone, the history written when the lock was taken (nothing changed otherwise), and no
 * UpdateEnvironment ever sent to an environment already on its target.
 *
 * <p>Where the fault is injected: just before the first SDK call of the phase (an interceptor), so
 * an API error or throttling storm hits exactly that call. For the updates, "web" is the migrator
 * (web-first) or the second web, "worker" the worker (for the migrator's update under the parallel
 * policy, where the worker is in the migrator's wave). During the wait, an instance failure is
 * health that turns Red after the deploy and a hang is a deploy slower than {@code
 * timeouts.deploy}. The rollback cases first make the other environment fail, then fault the
 * target's rollback.
 */
class FaultMatrixTest {
  enum Phase {
    DISCOVERY,
    UPLOAD,
    VERSION,
    MIGRATOR_UPDATE,
    OTHER_UPDATE,
    WAIT,
    ROLLBACK
  }

  enum Target {
    WEB,
    WORKER
  }

  enum Kind {
    API_ERROR,
    THROTTLE_STORM,
    INSTANCE_FAILURE,
    HANG,
    INTERRUPT
  }

  record Case(Phase phase, Target target, Kind kind) {
    @Override
    public String toString() {
      return (phase + " " + target + " " + kind).toLowerCase(Locale.ROOT);
    }
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Phase p : Phase.values()) {
      for (Target t : Target.values()) {
        for (Kind k : Kind.values()) {
          out.add(new Case(p, t, k));
        }
      }
    }
    return out.stream();
  }

  static RollbackBench bench;
  static final AtomicInteger counter = new AtomicInteger();
  static final List<String> table = Collections.synchronizedList(new ArrayList<>());

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    bench = new RollbackBench();
  }

  /** Closes the sandbox and writes the outcome of every case to target/fault-matrix.txt. */
  @AfterAll
  static void stop() throws java.io.IOException {
    bench.close();
    java.nio.file.Path out = java.nio.file.Path.of("target", "fault-matrix.txt");
    java.nio.file.Files.createDirectories(out.getParent());
    java.nio.file.Files.write(out, table);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void faultAt(Case c) {
    int n = counter.incrementAndGet();
    String web = "m" + n + "-web";
    String web2 = "m" + n + "-web2";
    String worker = "m" + n + "-worker";
    bench.sandbox.clearFaults();
    bench.updatesToTarget.clear();
    RollbackBench.Group g =
        bench.group("M" + n, "m" + n, List.of(web, web2), List.of(worker), "v1");
    Map<String, String> ids = Map.of(web, g.id(web), web2, g.id(web2), worker, g.id(worker));
    String target =
        switch (c.phase()) {
          case OTHER_UPDATE, WAIT -> c.target() == Target.WEB ? web2 : worker;
          default -> c.target() == Target.WEB ? web : worker;
        };
    DeployConfig.Builder config =
        RollbackBench.config()
            .timeouts(
                new DeployConfig.Timeouts(
                    java.time.Duration.ofSeconds(3),
                    java.time.Duration.ofSeconds(3),
                    java.time.Duration.ofSeconds(1)));
    if (c.phase() == Phase.MIGRATOR_UPDATE && c.target() == Target.WORKER) {
      config.migration(
          new DeployConfig.Migration(DeployConfig.MigrationPolicy.PARALLEL, Optional.empty()));
    }
    if (c.phase() == Phase.ROLLBACK) {
      // The other environment of wave 2 fails; the target succeeded and must be rolled back.
      bench.sandbox.inject(Fault.instanceFailure(c.target() == Target.WEB ? worker : web2));
    }
    if (c.phase() == Phase.WAIT && c.kind() == Kind.INSTANCE_FAILURE) {
      bench.sandbox.configureEnvironment(target, null, "Red");
    }
    if (c.phase() == Phase.WAIT && c.kind() == Kind.HANG) {
      bench.sandbox.configureEnvironment(target, 5000.0, null);
    }
    List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());
    EbDeploy[] deploy = new EbDeploy[1];
    Runnable fault = () -> inject(c, target, deploy[0]);
    ExecutionInterceptor trigger = RollbackBench.before(when(c, target, ids), fault);
    deploy[0] =
        bench.client(
            g.deploy(dir, "v2", config.build(), events), events, List.of(new Current(), trigger));
    if (c.phase() == Phase.WAIT && c.kind() == Kind.INSTANCE_FAILURE) {
      deploy[0].listener(
          e -> {
            events.add(e);
            if (e instanceof DeployEvent.RollbackStarted) {
              bench.sandbox.configureEnvironment(target, null, "Green");
            }
          });
    }
    bench.sandbox.clearCalls();

    Optional<DeployResult> result = Optional.empty();
    EbDeployException error = null;
    try {
      result = Optional.of(deploy[0].deploy());
    } catch (DeployFailedException e) {
      result = Optional.of(e.result());
      error = e;
    } catch (EbDeployException e) {
      error = e;
    } finally {
      bench.sandbox.clearFaults();
    }
    String outcome =
        result.map(r -> r.outcome().wireName()).orElse(error == null ? "?" : error.kind().name());
    table.add(String.format("%-36s %-16s %s", c, outcome, g.labels().values()));

    // 1. One label, Ready, or the rollback-failed outcome with exact instructions.
    Map<String, String> labels = g.labels();
    assertThat(g.statuses().values()).as("statuses").containsOnly("Ready");
    if (result.isPresent() && result.get().outcome() == DeployOutcome.ROLLBACK_FAILED) {
      RollbackReport rb = result.get().rollback().orElseThrow();
      assertThat(rb.instructions())
          .anySatisfy(i -> assertThat(i).contains("eb-deploy rollback m" + n + " --to v1"))
          .anySatisfy(i -> assertThat(i).contains("eb-deploy status m" + n));
      for (RollbackReport.Step s : rb.environments()) {
        assertThat(labels.get(s.environment())).isEqualTo(s.labelNow());
        if (s.outcome() == RollbackReport.StepOutcome.FAILED) {
          assertThat(rb.instructions())
              .anySatisfy(
                  i ->
                      assertThat(i)
                          .contains(s.environment() + " runs " + s.labelNow() + " (previous: v1)"));
        }
      }
    } else {
      assertThat(new java.util.HashSet<>(labels.values())).as("labels " + labels).hasSize(1);
      String expected =
          result.isPresent() && result.get().outcome() == DeployOutcome.SUCCEEDED ? "v2" : "v1";
      assertThat(labels.values()).as("labels").containsOnly(expected);
    }
    // 2. Lock released, record gone.
    assertThat(g.object(GroupStore.LOCK)).as("lock").isEmpty();
    assertThat(g.object(GroupStore.RECORD)).as("record").isEmpty();
    // 3. History written when the lock was taken; nothing changed otherwise.
    boolean locked = events.stream().anyMatch(e -> e instanceof DeployEvent.LockAcquired);
    if (locked) {
      String inHistory = outcomeInHistory(result, error);
      assertThat(g.history())
          .singleElement()
          .satisfies(h -> assertThat(h.label()).isEqualTo("v2"))
          .satisfies(h -> assertThat(h.outcome()).isEqualTo(inHistory));
    } else {
      assertThat(g.history()).isEmpty();
      assertThat(bench.sandbox.calls()).noneMatch(SandboxCall::mutating);
    }
    // 4. No update to an environment already on its target.
    assertThat(bench.updatesToTarget).as("updates to an environment on its target").isEmpty();
    // 5. What each kind of case must end with.
    expectations(c, result, error);
  }

  private static String outcomeInHistory(Optional<DeployResult> result, EbDeployException error) {
    if (result.isPresent()) {
      return result.get().outcome().wireName();
    }
    return error instanceof Interrupts.Cancelled ? "interrupted" : History.FAILED;
  }

  private static void expectations(Case c, Optional<DeployResult> result, EbDeployException e) {
    Optional<DeployOutcome> o = result.map(DeployResult::outcome);
    if (c.phase() == Phase.ROLLBACK) {
      switch (c.kind()) {
        case API_ERROR, INSTANCE_FAILURE, HANG ->
            assertThat(o).contains(DeployOutcome.ROLLBACK_FAILED);
        case THROTTLE_STORM -> assertThat(o).contains(DeployOutcome.ROLLED_BACK);
        case INTERRUPT -> assertThat(o).contains(DeployOutcome.INTERRUPTED);
      }
      return;
    }
    if (c.kind() == Kind.INTERRUPT) {
      assertThat(e).isNotNull();
      assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INTERRUPTED);
      return;
    }
    if (c.phase() == Phase.DISCOVERY && c.kind() == Kind.API_ERROR) {
      assertThat(e.kind()).isEqualTo(EbDeployException.Kind.AWS_ERROR);
      return;
    }
    boolean envFault = c.kind() == Kind.INSTANCE_FAILURE || c.kind() == Kind.HANG;
    if (envFault) {
      assertThat(o).contains(DeployOutcome.ROLLED_BACK);
    }
  }

  /** Just before which call the fault is injected. */
  private static Predicate<SdkRequest> when(Case c, String target, Map<String, String> ids) {
    boolean web = c.target() == Target.WEB;
    String targetId = ids.get(target);
    return switch (c.phase()) {
      case DISCOVERY ->
          web
              ? r -> r instanceof GetResourcesRequest
              : r -> r instanceof DescribeEnvironmentsRequest;
      case UPLOAD ->
          web
              ? r -> r instanceof PutObjectRequest p && !p.key().startsWith("eb-deploy/")
              : r -> r instanceof HeadObjectRequest h && !h.key().startsWith("eb-deploy/");
      case VERSION -> {
        boolean[] created = new boolean[1];
        yield web
            ? r -> r instanceof CreateApplicationVersionRequest
            : r -> {
              if (r instanceof CreateApplicationVersionRequest) {
                created[0] = true;
                return false;
              }
              return created[0] && r instanceof DescribeApplicationVersionsRequest;
            };
      }
      case MIGRATOR_UPDATE, OTHER_UPDATE ->
          r ->
              r instanceof UpdateEnvironmentRequest u
                  && targetId.equals(u.environmentId())
                  && "v2".equals(u.versionLabel());
      case WAIT -> {
        boolean[] sent = new boolean[1];
        yield r -> {
          if (r instanceof UpdateEnvironmentRequest u && targetId.equals(u.environmentId())) {
            sent[0] = true;
            return false;
          }
          return sent[0]
              && (web
                  ? r instanceof DescribeEnvironmentsRequest
                  : r instanceof DescribeEventsRequest);
        };
      }
      case ROLLBACK ->
          r ->
              r instanceof UpdateEnvironmentRequest u
                  && targetId.equals(u.environmentId())
                  && "v1".equals(u.versionLabel());
    };
  }

  /** The fault, at the moment {@link #when} chose. */
  private static void inject(Case c, String target, EbDeploy deploy) {
    SdkRequest[] last = CURRENT.get();
    switch (c.kind()) {
      case API_ERROR ->
          bench.sandbox.inject(
              Fault.apiError(service(last[0]), action(last[0]), "AccessDenied", 403));
      case THROTTLE_STORM ->
          bench.sandbox.inject(Fault.throttle(1.0).times(5).onService(service(last[0])));
      case INSTANCE_FAILURE -> {
        if (c.phase() != Phase.WAIT) {
          bench.sandbox.inject(Fault.instanceFailure(target));
        }
      }
      case HANG -> {
        if (c.phase() != Phase.WAIT) {
          bench.sandbox.inject(Fault.hang(target));
        }
      }
      case INTERRUPT -> deploy.cancel("SIGINT (fault matrix)");
    }
  }

  /** The request being sent when the trigger fires (set by {@link Current}). */
  static final ThreadLocal<SdkRequest[]> CURRENT = ThreadLocal.withInitial(() -> new SdkRequest[1]);

  static String service(SdkRequest r) {
    String pkg = r.getClass().getPackageName();
    if (pkg.contains(".resourcegroupstaggingapi.")) {
      return "tagging";
    }
    if (pkg.contains(".s3.")) {
      return "s3";
    }
    return "elasticbeanstalk";
  }

  static String action(SdkRequest r) {
    return r.getClass().getSimpleName().replaceAll("Request$", "");
  }

  /** Remembers the request in flight on this thread, for {@link #inject}. */
  static final class Current implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
      CURRENT.get()[0] = c.request();
    }
  }
}
