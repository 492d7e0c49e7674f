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
import io.ebdeploy.sandbox.Fault;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * {@code database.snapshot-before-migrate} against moto_server's RDS (the sandbox has none):
 * Beanstalk, Tagging and S3 go to the sandbox, RDS to moto, through the variables a user sets for
 * that: {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_RDS}.
 */
class SnapshotTest {
  static MotoServer moto;
  static RdsClient rds;
  static RollbackBench bench;
  static int n;

  @TempDir Path dir;
  final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    rds =
        RdsClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.of(RollbackBench.REGION))
            .credentialsProvider(SandboxFixture.CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    rds.createDBInstance(
        b ->
            b.dbInstanceIdentifier("iaso-db")
                .dbInstanceClass("db.t3.micro")
                .engine("postgres")
                .masterUsername("iaso")
                .masterUserPassword("not-a-secret-1")
                .allocatedStorage(20));
    bench = new RollbackBench();
  }

  @AfterAll
  static void stop() {
    if (bench != null) {
      bench.close();
    }
    if (rds != null) {
      rds.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  private RollbackBench.Group group() {
    n++;
    return bench.group(
        "Snap" + n,
        "snap" + n,
        List.of("snap" + n + "-web"),
        List.of("snap" + n + "-worker"),
        "v1");
  }

  /** The sandbox and moto as the environment names them, instead of the bench's endpoint. */
  private static EbDeploy viaVariables(EbDeploy deploy) {
    return deploy
        .endpoint(null)
        .environment(
            Map.of(
                "AWS_ENDPOINT_URL", bench.sandbox.endpoint().toString(),
                "AWS_ENDPOINT_URL_RDS", moto.endpoint().toString()));
  }

  private DeployConfig config(String instance) {
    return RollbackBench.config()
        .database(new DeployConfig.Database(Optional.of(instance)))
        .build();
  }

  @Test
  void snapshot_takenAndAvailableBeforeTheMigratorDeploys_namedInTheReport() {
    RollbackBench.Group g = group();
    Instant before = Instant.now();

    DeployResult r = viaVariables(g.deploy(dir, "v2.0", config("iaso-db"), events)).deploy();

    assertThat(r.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
    String id = r.snapshot().orElseThrow();
    assertThat(id).matches("eb-deploy-snap" + n + "-v2-0-\\d{14}");
    DBSnapshot s = rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(id)).dbSnapshots().get(0);
    assertThat(s.dbInstanceIdentifier()).isEqualTo("iaso-db");
    assertThat(s.status()).isEqualToIgnoringCase("available");
    assertThat(r.toJson()).contains("\"snapshot\" : \"" + id + "\"");
    List<String> order =
        events.stream()
            .filter(
                e ->
                    e instanceof DeployEvent.SnapshotStarted
                        || e instanceof DeployEvent.SnapshotDone
                        || e instanceof DeployEvent.UpdateRequested)
            .map(e -> e.getClass().getSimpleName())
            .toList();
    assertThat(order).startsWith("SnapshotStarted", "SnapshotDone", "UpdateRequested");
    assertThat(SnapshotDatabaseStep.snapshotId("staging", "v1", before))
        .startsWith("eb-deploy-staging-v1-");
  }

  @Test
  void snapshot_deployRolledBack_reportSaysSchemaNotRevertedAndNamesTheSnapshot() {
    RollbackBench.Group g = group();
    bench.sandbox.inject(Fault.instanceFailure(g.workers.get(0)));

    DeployFailedException e =
        catchThrowableOfType(
            DeployFailedException.class,
            () -> viaVariables(g.deploy(dir, "v2", config("iaso-db"), events)).deploy());

    DeployResult r = e.result();
    assertThat(r.outcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
    assertThat(r.schemaNotReverted()).isTrue();
    assertThat(r.toJson())
        .contains("\"schemaNotReverted\" : true")
        .contains("not the database schema")
        .contains("the snapshot taken before them is " + r.snapshot().orElseThrow());
  }

  @Test
  void snapshot_unknownInstance_failsBeforeAnyUpdate() {
    RollbackBench.Group g = group();

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class,
            () -> viaVariables(g.deploy(dir, "v2", config("no-such-db"), events)).deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.AWS_ERROR);
    assertThat(e.getMessage()).contains("CreateDBSnapshot failed").contains("no-such-db");
    assertThat(events).noneMatch(ev -> ev instanceof DeployEvent.UpdateRequested);
    assertThat(g.labels().values()).containsOnly("v1");
    assertThat(g.object(GroupStore.LOCK)).isEmpty();
    assertThat(g.history())
        .singleElement()
        .satisfies(h -> assertThat(h.outcome()).isEqualTo("failed"));
  }
}
