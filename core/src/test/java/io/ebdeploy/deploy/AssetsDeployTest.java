package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployPlan;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.SandboxCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Static files inside a deploy: uploaded before any environment switches, deleted after. */
class AssetsDeployTest {
  static final String APP = "Iaso";
  static final String WEB = "iaso-staging-web";
  static final String WORKER = "iaso-staging-worker";
  static final String BUCKET = "iaso-static";

  @TempDir Path dir;
  SandboxFixture fx;
  S3Client s3;
  Path project;
  final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    fx = new SandboxFixture();
    s3 =
        S3Client.builder()
            .endpointOverride(fx.sandbox.endpoint())
            .forcePathStyle(true)
            .region(Region.of(SandboxFixture.REGION))
            .credentialsProvider(SandboxFixture.CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    s3.createBucket(
        b ->
            b.bucket(BUCKET)
                .createBucketConfiguration(c -> c.locationConstraint(SandboxFixture.REGION)));
    fx.group(APP, "staging", List.of(WEB), List.of(WORKER));
    project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("application.py"), "print('hello')\n");
    Files.writeString(project.resolve(".gitignore"), "static/\n");
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "first");
  }

  @AfterEach
  void stop() {
    s3.close();
    fx.close();
  }

  private void git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@e"));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  private void asset(String rel, String content) throws IOException {
    Path p = project.resolve("static").resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private DeployConfig config(String bucket, int keep) {
    return fx.config()
        .staticAssets(
            new DeployConfig.StaticAssets(
                "static",
                bucket,
                "static",
                List.of(new DeployConfig.CacheRule("**", "public, max-age=300")),
                false,
                "after-release",
                keep))
        .build();
  }

  private EbDeploy deploy(String label, DeployConfig config) {
    return fx.client(
        EbDeploy.forProject(project)
            .group("staging")
            .label(label)
            .config(config)
            .listener(events::add));
  }

  private List<String> assetKeys() {
    return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
        .map(S3Object::key)
        .filter(k -> !k.contains("/.eb-deploy/"))
        .sorted()
        .toList();
  }

  private static int first(List<SandboxCall> calls, Predicate<SandboxCall> p) {
    for (int i = 0; i < calls.size(); i++) {
      if (p.test(calls.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int last(List<SandboxCall> calls, Predicate<SandboxCall> p) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (p.test(calls.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean onStaticBucket(SandboxCall c) {
    return BUCKET.equals(c.params().get("Bucket"));
  }

  /**
   * A change to the application or its environments. CreateStorageLocation only finds (or creates)
   * the account's storage bucket, where the deploy lock lives: it must come before the lock, and so
   * before the assets, which are synced under the lock.
   */
  private static boolean beanstalkChange(SandboxCall c) {
    return c.service().equals("elasticbeanstalk")
        && c.mutating()
        && !c.action().equals("CreateStorageLocation");
  }

  @Test
  void deploy_uploadsAssetsBeforeAnyBeanstalkChangeAndDeletesStaleOnesAfterTheGroupSucceeded()
      throws Exception {
    asset("css/site.css", "v1");
    asset("js/old.js", "only in v1");
    DeployResult v1 = deploy("v1", config(BUCKET, 1)).deploy();
    assertThat(v1.assets()).hasValueSatisfying(a -> assertThat(a.added()).isEqualTo(2));
    Files.delete(project.resolve("static/js/old.js"));
    asset("css/site.css", "v2");
    asset("js/new.js", "only in v2");
    fx.sandbox.clearCalls();
    events.clear();

    DeployResult v2 = deploy("v2", config(BUCKET, 1)).deploy();

    AssetsResult a = v2.assets().orElseThrow();
    assertThat(a.added()).isEqualTo(1);
    assertThat(a.changed()).isEqualTo(1);
    assertThat(a.deleted()).isEqualTo(1);
    assertThat(a.manifest()).contains("static/.eb-deploy/releases/staging/v2.json");
    assertThat(assetKeys()).containsExactly("static/css/site.css", "static/js/new.js");
    List<SandboxCall> calls = fx.sandbox.calls();
    int lastAssetPut =
        last(calls, c -> onStaticBucket(c) && c.action().equals("PutObject") && !meta(c));
    int firstBeanstalkChange = first(calls, AssetsDeployTest::beanstalkChange);
    int lastUpdate = last(calls, c -> c.action().equals("UpdateEnvironment"));
    int delete = first(calls, c -> onStaticBucket(c) && c.action().equals("DeleteObjects"));
    assertThat(lastAssetPut).isGreaterThanOrEqualTo(0).isLessThan(firstBeanstalkChange);
    assertThat(delete).isGreaterThan(lastUpdate);
    assertThat(events)
        .filteredOn(e -> e instanceof DeployEvent.AssetsUploaded)
        .singleElement()
        .satisfies(
            e -> assertThat(((DeployEvent.AssetsUploaded) e).result().uploadTook()).isPositive());
    assertThat(v2.toJson()).contains("\"assets\"").contains("\"deleted\" : 1");
  }

  private static boolean meta(SandboxCall c) {
    return String.valueOf(c.params().get("Key")).contains("/.eb-deploy/");
  }

  @Test
  void deploy_thatFails_deletesNothing() throws Exception {
    asset("a.css", "a");
    deploy("v1", config(BUCKET, 1)).deploy();
    Files.delete(project.resolve("static/a.css"));
    asset("b.css", "b");
    fx.sandbox.inject(Fault.instanceFailure(WORKER));
    fx.sandbox.clearCalls();
    events.clear();

    DeployFailedException e =
        catchThrowableOfType(
            DeployFailedException.class, () -> deploy("v2", config(BUCKET, 1)).deploy());

    AssetsResult a = e.result().assets().orElseThrow();
    assertThat(a.added()).isEqualTo(1);
    assertThat(a.deleted()).isZero();
    assertThat(a.notDeleted()).contains("the deploy did not succeed: nothing is deleted");
    assertThat(assetKeys()).containsExactly("static/a.css", "static/b.css");
    assertThat(fx.sandbox.calls())
        .filteredOn(AssetsDeployTest::onStaticBucket)
        .extracting(SandboxCall::action)
        .doesNotContain("DeleteObjects");
    assertThat(events).noneMatch(ev -> ev instanceof DeployEvent.AssetsPruned);
  }

  @Test
  void deploy_missingStaticFolder_isRefusedBeforeAnyChange() {
    fx.sandbox.clearCalls();

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class, () -> deploy("v1", config(BUCKET, 3)).deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("static.dir").contains("does not exist");
    assertThat(fx.mutatingCalls()).isEmpty();
  }

  @Test
  void deploy_unknownBucket_isRefusedBeforeAnyChange() throws IOException {
    asset("a.css", "a");
    fx.sandbox.clearCalls();

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class, () -> deploy("v1", config("no-such-static", 3)).deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("no-such-static").contains("does not exist");
    assertThat(fx.mutatingCalls()).isEmpty();
  }

  @Test
  void plan_countsWhatWouldBeUploadedSkippedAndDeleted_withNoChange() throws Exception {
    asset("a.css", "a");
    asset("b.css", "b");
    deploy("v1", config(BUCKET, 1)).deploy();
    Files.delete(project.resolve("static/b.css"));
    asset("a.css", "A");
    asset("c.css", "c");
    asset("d.css", "d");
    fx.sandbox.clearCalls();

    DeployPlan plan = deploy("v2", config(BUCKET, 1)).plan();

    AssetsResult a = plan.assets().orElseThrow();
    assertThat(a.dryRun()).isTrue();
    assertThat(a.uploaded()).isEqualTo(3);
    assertThat(a.skipped()).isZero();
    assertThat(a.changed()).isEqualTo(1);
    assertThat(a.deleted()).isEqualTo(1);
    assertThat(plan.toJson()).contains("\"assets\"");
    assertThat(fx.mutatingCalls()).isEmpty();
  }

  @Test
  void assets_onItsOwn_uploadsTouchesNoEnvironmentAndDeletesNothing() throws Exception {
    asset("a.css", "a");
    EbDeploy d = deploy("unused", config(BUCKET, 1));
    fx.sandbox.clearCalls();

    AssetsResult dry = d.assets(true);
    assertThat(dry.added()).isEqualTo(1);
    assertThat(fx.mutatingCalls()).isEmpty();

    AssetsResult r = d.assets(false);
    AssetsResult again = d.assets(false);

    assertThat(r.added()).isEqualTo(1);
    assertThat(again.skipped()).isEqualTo(1);
    assertThat(fx.sandbox.calls()).noneMatch(c -> c.service().equals("elasticbeanstalk"));
    assertThat(assetKeys()).containsExactly("static/a.css");
  }

  @Test
  void assets_bucketInAnotherRegion_isFollowed() throws Exception {
    try (S3Client west =
        S3Client.builder()
            .endpointOverride(fx.sandbox.endpoint())
            .forcePathStyle(true)
            .region(Region.US_WEST_2)
            .credentialsProvider(SandboxFixture.CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      west.createBucket(
          b ->
              b.bucket("iaso-static-west")
                  .createBucketConfiguration(c -> c.locationConstraint("us-west-2")));
      asset("a.css", "a");

      AssetsResult r = deploy("unused", config("iaso-static-west", 1)).assets(false);

      assertThat(r.added()).isEqualTo(1);
      assertThat(
              west.headObject(b -> b.bucket("iaso-static-west").key("static/a.css")).contentType())
          .isEqualTo("text/css; charset=utf-8");
    }
  }

  @Test
  void assets_withoutStaticSection_isInvalidInput() {
    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class,
            () -> fx.client(EbDeploy.forProject(project).group("staging")).assets(false));

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).contains("no static: section");
  }

  @Test
  void deploy_ofAZip_skipsAssetsAndSaysSo() throws IOException {
    Path zip = SandboxFixture.zip(dir, "app.zip", "print('zip')");

    DeployResult r =
        fx.client(
                EbDeploy.forBundle(zip)
                    .group("staging")
                    .label("z1")
                    .config(config(BUCKET, 1))
                    .listener(events::add))
            .deploy();

    assertThat(r.assets()).isEmpty();
    assertThat(events).anyMatch(e -> e instanceof DeployEvent.AssetsSkipped);
  }
}
