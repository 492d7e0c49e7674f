package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.sandbox.Fault;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS starts throttling nine calls in ten once the group is changing: after the first
 * UpdateEnvironment, or once the paired rollback has begun. Whatever the outcome, the run ends, the
 * group is not left split (every environment on one label, Ready), and the lock and record are
 * gone. The calls of the run keep to their throttling budget; the ones that protect the group (the
 * polling, the rollback's updates, the record and lock) are retried above it, so that they get
 * through a storm that stops the deploy's own progress.
 */
@Timeout(120)
class ThrottledDeployTest {
  static final String WEB = "thr-web";
  static final String WORKER = "thr-worker";

  @TempDir Path dir;
  RollbackBench bench;
  RollbackBench.Group g;
  final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    bench = new RollbackBench();
    g = bench.group("Thr", "staging", List.of(WEB), List.of(WORKER), "v1");
  }

  @AfterEach
  void stop() {
    bench.close();
  }

  /** Deploys v2, throttling 90% of all calls from the first event that matches {@code when}. */
  private Throwable deployThrottledFrom(Class<? extends DeployEvent> when) {
    AtomicBoolean injected = new AtomicBoolean();
    try {
      g.deploy(dir, "v2", RollbackBench.config().build(), events)
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

  private void assertNotSplitAndClean() {
    bench.awaitReady(g.all());
    assertThat(new HashSet<>(g.labels().values())).as("labels: " + g.labels()).hasSize(1);
    assertThat(g.object(GroupStore.LOCK)).as("lock").isEmpty();
    assertThat(g.object(GroupStore.RECORD)).as("record").isEmpty();
  }

  @Test
  void stormAfterTheFirstUpdate_runEndsAndTheGroupIsOnOneLabel() {
    Throwable t = deployThrottledFrom(DeployEvent.UpdateRequested.class);

    assertNotSplitAndClean();
    if (t != null) {
      assertThat(t.getMessage()).doesNotContain("THE ROLLBACK FAILED");
    }
  }

  @Test
  void stormWhenTheRollbackBegins_rollbackStillReturnsTheGroup() {
    bench.sandbox.inject(Fault.instanceFailure(WORKER));

    Throwable t = deployThrottledFrom(DeployEvent.RollbackStarted.class);

    assertThat(t).isNotNull();
    assertThat(((EbDeployException) t).kind()).isEqualTo(EbDeployException.Kind.DEPLOY_FAILED);
    assertNotSplitAndClean();
    assertThat(g.labels().values()).containsOnly("v1");
  }
}
