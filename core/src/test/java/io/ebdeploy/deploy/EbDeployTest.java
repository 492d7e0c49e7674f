package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.SandboxCall;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline through the public API: bundle, upload, version, group deploy, verdict. */
class EbDeployTest {
  static final String APP = "Iaso";
  static final String WEB = "iaso-staging-web";
  static final String WORKER = "iaso-staging-worker";

  @TempDir Path dir;
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

  private EbDeploy deploy(Path zip, String label) {
    return fx.forBundle(zip, "staging", label).listener(events::add);
  }

  /** The calls, leaving out those on eb-deploy's own objects (lock, record, history). */
  private List<String> actions() {
    return fx.sandbox.calls().stream()
        .filter(c -> !String.valueOf(c.params().get("Key")).startsWith("eb-deploy/"))
        .map(SandboxCall::action)
        .toList();
  }

  @Test
  void deploy_webAndWorker_succeedsOnOneLabelWithOneUploadAndOneVersion() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");
    fx.sandbox.clearCalls();

    DeployResult result = deploy(zip, "v1").deploy();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.failure()).isEmpty();
    assertThat(result.migrator()).contains(WEB);
    assertThat(result.bundle().key()).isEqualTo("Iaso/v1-" + result.bundle().sha8() + ".zip");
    assertThat(result.bundle().bucket()).startsWith("elasticbeanstalk-eu-central-1-");
    assertThat(result.environments())
        .extracting(EnvironmentResult::name, EnvironmentResult::labelAfter)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(WEB, "v1"),
            org.assertj.core.api.Assertions.tuple(WORKER, "v1"));
    assertThat(result.environments()).allSatisfy(e -> assertThat(e.labelBefore()).isEmpty());
    assertThat(fx.properties(APP, WEB)).containsEntry("EB_DEPLOY_ROLE", "web");
    assertThat(fx.properties(APP, WORKER)).containsEntry("EB_DEPLOY_ROLE", "worker");
    assertThat(actions()).containsOnlyOnce("PutObject", "CreateApplicationVersion");
    assertThat(fx.calls("UpdateEnvironment")).hasSize(2);
    assertThat(events.get(events.size() - 1)).isInstanceOf(DeployEvent.Done.class);
    assertThat(events).anyMatch(e -> e instanceof DeployEvent.DiscoveryDone);
    assertThat(events).anyMatch(e -> e instanceof DeployEvent.UploadDone);
    assertThat(result.toJson())
        .contains("\"succeeded\" : true")
        .contains("\"labelAfter\" : \"v1\"")
        .contains("\"outcome\" : \"SUCCEEDED\"");
  }

  @Test
  void deploy_rerunSameLabelAndBundle_reusesVersionAndSkipsUpload() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");
    deploy(zip, "v1").deploy();
    fx.sandbox.clearCalls();

    DeployResult again = deploy(zip, "v1").deploy();

    assertThat(again.succeeded()).isTrue();
    assertThat(again.versionReused()).isTrue();
    assertThat(again.uploadSkipped()).isTrue();
    assertThat(actions()).doesNotContain("PutObject", "CreateApplicationVersion");
    assertThat(fx.calls("UpdateEnvironment")).hasSize(2);
    assertThat(again.environments())
        .allSatisfy(
            e -> {
              assertThat(e.labelBefore()).isEqualTo("v1");
              assertThat(e.outcome()).isEqualTo(EnvironmentOutcome.SUCCEEDED);
            });
  }

  @Test
  void deploy_sameLabelDifferentBytes_refusedBeforeAnyChange() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of());
    deploy(SandboxFixture.zip(dir, "a.zip", "print('a')"), "v1").deploy();
    fx.sandbox.clearCalls();
    Path other = SandboxFixture.zip(dir, "b.zip", "print('b')");

    EbDeployException e =
        catchThrowableOfType(EbDeployException.class, () -> deploy(other, "v1").deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains("application version v1 of Iaso already exists with another bundle")
        .contains("Iaso/v1-" + ZipBundleSource.sha256(other).substring(0, 8) + ".zip")
        .contains("--label");
    assertThat(fx.mutatingCalls()).isEmpty();
  }

  @Test
  void deploy_bundleAlreadyInS3_skipsPutObject() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of());
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");
    fx.sandbox.inject(
        Fault.apiError("elasticbeanstalk", "CreateApplicationVersion", "InternalFailure", 400));
    EbDeployException first =
        catchThrowableOfType(EbDeployException.class, () -> deploy(zip, "v1").deploy());
    assertThat(first.kind()).isEqualTo(EbDeployException.Kind.AWS_ERROR);
    assertThat(first.getMessage()).contains("CreateApplicationVersion failed");
    fx.sandbox.clearCalls();
    events.clear();

    DeployResult result = deploy(zip, "v1").deploy();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.uploadSkipped()).isTrue();
    assertThat(result.versionReused()).isFalse();
    assertThat(actions())
        .contains("HeadObject", "CreateApplicationVersion")
        .doesNotContain("PutObject");
    assertThat(events).anyMatch(e -> e instanceof DeployEvent.UploadSkipped);
  }

  @Test
  void deploy_versionProcessingFails_failsWithReasonAndUpdatesNothing() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    fx.sandbox.inject(Fault.versionProcessingFailure("v1"));
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");
    fx.sandbox.clearCalls();

    DeployFailedException e =
        catchThrowableOfType(DeployFailedException.class, () -> deploy(zip, "v1").deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.DEPLOY_FAILED);
    assertThat(e.getMessage()).contains("application version v1 FAILED processing (");
    assertThat(e.result().succeeded()).isFalse();
    assertThat(e.result().environments())
        .extracting(EnvironmentResult::outcome)
        .containsOnly(EnvironmentOutcome.NOT_STARTED);
    assertThat(fx.calls("UpdateEnvironment")).isEmpty();
  }

  @Test
  void deploy_workerReverted_rollsTheWebBackAndThrowsWithResult() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    deploy(SandboxFixture.zip(dir, "v0.zip", "print('v0')"), "v0").deploy();
    fx.sandbox.inject(Fault.instanceFailure(WORKER));
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");
    events.clear();

    DeployFailedException e =
        catchThrowableOfType(DeployFailedException.class, () -> deploy(zip, "v1").deploy());

    DeployResult result = e.result();
    assertThat(result.succeeded()).isFalse();
    assertThat(result.outcome()).isEqualTo(DeployOutcome.ROLLED_BACK);
    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.DEPLOY_FAILED);
    EnvironmentResult web = result.environments().get(0);
    assertThat(web.outcome()).isEqualTo(EnvironmentOutcome.SUCCEEDED);
    assertThat(web.labelAfter()).isEqualTo("v0");
    EnvironmentResult worker = result.environments().get(1);
    assertThat(worker.outcome()).isEqualTo(EnvironmentOutcome.REVERTED);
    assertThat(worker.labelBefore()).isEqualTo("v0");
    assertThat(worker.labelAfter()).isEqualTo("v0");
    assertThat(worker.events()).isNotEmpty();
    assertThat(e.getMessage()).contains(WORKER + " reverted").contains("rolled back");
    assertThat(result.rollback())
        .hasValueSatisfying(
            r -> {
              assertThat(r.succeeded()).isTrue();
              assertThat(r.environments())
                  .extracting(s -> s.environment() + ":" + s.outcome().wireName())
                  .containsExactly(WEB + ":returned", WORKER + ":already-there");
            });
    assertThat(result.previousLabels()).containsEntry(WEB, "v0").containsEntry(WORKER, "v0");
    assertThat(result.toJson())
        .contains("\"succeeded\" : false")
        .contains("\"outcome\" : \"rolled-back\"")
        .contains("\"schemaNotReverted\" : true")
        .contains("REVERTED");
    assertThat(events.get(events.size() - 1))
        .isInstanceOfSatisfying(
            DeployEvent.Done.class, d -> assertThat(d.result().succeeded()).isFalse());

    GroupStatus status =
        fx.client(EbDeploy.forGroup("staging").config(fx.config().build())).status();
    assertThat(status.labelsDiffer()).isFalse();
    assertThat(status.labels()).containsExactly("v0");
    assertThat(status.lock()).isEmpty();
    assertThat(status.history())
        .extracting(h -> h.label() + ":" + h.outcome())
        .containsExactly("v1:rolled-back", "v0:succeeded");
  }

  @Test
  void deploy_largeBundle_uploadsInParts() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of());
    Path zip = dir.resolve("big.zip");
    byte[] data = new byte[17 * 1024 * 1024];
    new Random(7).nextBytes(data);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      ZipEntry entry = new ZipEntry("data.bin");
      entry.setMethod(ZipEntry.STORED);
      CRC32 crc = new CRC32();
      crc.update(data);
      entry.setCrc(crc.getValue());
      entry.setSize(data.length);
      z.putNextEntry(entry);
      z.write(data);
      z.closeEntry();
    }
    fx.sandbox.clearCalls();

    DeployResult result = deploy(zip, "v1").deploy();

    assertThat(result.succeeded()).isTrue();
    assertThat(fx.calls("UploadPart")).hasSize(3);
    assertThat(actions()).contains("CreateMultipartUpload", "CompleteMultipartUpload");
    assertThat(actions()).doesNotContain("PutObject");
    assertThat(events)
        .filteredOn(ev -> ev instanceof DeployEvent.UploadDone)
        .singleElement()
        .satisfies(ev -> assertThat(((DeployEvent.UploadDone) ev).parts()).isEqualTo(3));
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@e"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void deploy_project_buildsOnceBundlesOnceAndRerunReusesVersion() throws Exception {
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("application.py"), "print('hello')\n");
    git(project, "init", "-q");
    git(project, "add", ".");
    git(project, "commit", "-q", "-m", "first");
    git(project, "tag", "v1.0.0");
    EbDeploy deploy =
        fx.client(
            EbDeploy.forProject(project)
                .group("staging")
                .config(fx.config().build(List.of("echo building assets")).build())
                .listener(events::add));
    fx.sandbox.clearCalls();

    DeployResult first = deploy.deploy();

    assertThat(first.succeeded()).isTrue();
    assertThat(first.label()).isEqualTo("v1.0.0");
    assertThat(events)
        .filteredOn(e -> e instanceof DeployEvent.BuildLine)
        .extracting(e -> ((DeployEvent.BuildLine) e).line())
        .contains("building assets");
    assertThat(first.bundle().fileCount()).isEqualTo(2); // application.py + VERSION.json
    assertThat(actions()).containsOnlyOnce("PutObject", "CreateApplicationVersion");
    fx.sandbox.clearCalls();

    Thread.sleep(1100); // the version file's deployed-at (to the second) differs on the re-run
    DeployResult again = deploy.deploy();

    assertThat(again.bundle().sha256()).isNotEqualTo(first.bundle().sha256());
    assertThat(again.bundle().key()).isEqualTo(first.bundle().key());
    assertThat(again.versionReused()).isTrue();
    assertThat(actions()).doesNotContain("PutObject", "CreateApplicationVersion");
  }

  @Test
  void deployAndPlan_project_leaveNoTemporaryBundleBehind() throws Exception {
    fx.group(APP, "staging", List.of(WEB), List.of());
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("application.py"), "print('hello')\n");
    git(project, "init", "-q");
    git(project, "add", ".");
    git(project, "commit", "-q", "-m", "first");
    EbDeploy deploy =
        fx.client(
            EbDeploy.forProject(project).group("staging").label("v1").config(fx.config().build()));

    Path deployed = deploy.deploy().bundle().path();
    Path planned = deploy.plan().bundle().path();
    fx.sandbox.inject(Fault.instanceFailure(WEB));
    Path failed =
        catchThrowableOfType(DeployFailedException.class, () -> deploy.label("v2").deploy())
            .result()
            .bundle()
            .path();

    // The zip was uploaded (or only listed, for plan): its temporary folder goes with the run.
    for (Path zip : List.of(deployed, planned, failed)) {
      assertThat(zip).doesNotExist();
      assertThat(zip.getParent()).doesNotExist();
    }
  }

  @Test
  void deploy_bundle_leavesTheCallersZipAlone() throws IOException {
    fx.group(APP, "staging", List.of(WEB), List.of());
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");

    deploy(zip, "v1").deploy();
    deploy(zip, "v1").plan();

    assertThat(zip).exists();
  }
}
