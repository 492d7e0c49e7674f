package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.Fault;
import io.ebdeploy.sandbox.LocalBeanstalk;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Crash recovery with the real command line: {@code ./eb-deploy deploy} (the launcher on the shaded
 * jar, its own JVM) against an in-process sandbox, killed with SIGKILL at seeded random points, 20
 * times; each time the next run (a deploy, or a rollback every other round) must converge the
 * group: every environment Ready on one label, lock and record gone, the killed run in the history.
 * Then one SIGINT: the process exits 130 with the group rolled back.
 *
 * <p>Where it is killed: a quarter of the rounds at a uniform random time of a whole run (mostly
 * JVM start, discovery and bundling, before the lock), the others at a uniform random time after
 * the lock appears in S3 (upload, version, the waves, the rollback), where recovery has work to do.
 * Each environment's deploy takes 250 simulated seconds (0.25 s) so that the waves are wide enough
 * to be hit, and every third killed deploy fails on the worker, so that some kills land while it
 * rolls the web back.
 */
@Timeout(600)
class KillRecoveryIT {
  static final String APP = "Kill";
  static final String WEB = "kill-web";
  static final String WORKER = "kill-worker";
  static final String BUCKET = "elasticbeanstalk-us-east-1-123456789012";
  static final int ROUNDS = Integer.getInteger("ebdeploy.killRounds", 20);
  static final long SEED = Long.getLong("ebdeploy.killSeed", 20261122L);

  @TempDir Path tmp;
  LocalBeanstalk sandbox;
  ElasticBeanstalkClient eb;
  S3Client s3;
  TestProject project;
  Path root;

  @BeforeEach
  void start() {
    root = Path.of(System.getProperty("ebdeploy.repoRoot", "..")).toAbsolutePath().normalize();
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    eb =
        ElasticBeanstalkClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(creds)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    s3 =
        S3Client.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(creds)
            .httpClient(UrlConnectionHttpClient.create())
            .forcePathStyle(true)
            .build();
    eb.createApplication(b -> b.applicationName(APP));
    for (String name : List.of(WEB, WORKER)) {
      boolean worker = name.equals(WORKER);
      eb.createEnvironment(
          b ->
              b.applicationName(APP)
                  .environmentName(name)
                  .platformArn(CliSandbox.PYTHON)
                  .tier(
                      t ->
                          t.name(worker ? "Worker" : "WebServer")
                              .type(worker ? "SQS/HTTP" : "Standard"))
                  .tags(Tag.builder().key("env").value("staging").build()));
    }
    awaitReady();
    project =
        TestProject.create(tmp.resolve("app"), "timeouts:\n  deploy: 20s\n  ready-wait: 20s\n");
  }

  @AfterEach
  void stop() {
    s3.close();
    eb.close();
    sandbox.close();
  }

  @Test
  void sigkillAtRandomPoints_nextRunConvergesTheGroup() throws Exception {
    Instant t0 = Instant.now();
    Instant launched = Instant.now();
    Process initial = start("deploy", "staging", "--label", "v0");
    while (initial.isAlive() && object("lock.json").isEmpty()) {
      Thread.sleep(5);
    }
    long lockedAt = Duration.between(launched, Instant.now()).toMillis();
    assertThat(initial.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(initial.exitValue())
        .as(Files.readString(tmp.resolve("err-" + initial.pid())))
        .isZero();
    long full = Duration.between(launched, Instant.now()).toMillis();
    Random random = new Random(SEED);
    Map<String, Integer> killedIn = new TreeMap<>();
    String expected = "v0";
    for (int round = 1; round <= ROUNDS; round++) {
      String label = "v" + round;
      boolean afterLock = random.nextDouble() >= 0.25;
      double fraction = random.nextDouble();
      boolean failing = round % 3 == 0;
      if (failing) {
        // This deploy fails on the worker and rolls the web back: kills land in rolling-back too.
        sandbox.inject(Fault.instanceFailure(WORKER));
      }
      Instant begun = Instant.now();
      Process p = start("deploy", "staging", "--label", label);
      boolean finished;
      if (afterLock) {
        while (p.isAlive() && object("lock.json").isEmpty()) {
          Thread.sleep(5);
        }
        finished =
            p.waitFor((long) (fraction * Math.max(100, full - lockedAt)), TimeUnit.MILLISECONDS);
      } else {
        finished = p.waitFor((long) (fraction * full), TimeUnit.MILLISECONDS);
      }
      long delay = Duration.between(begun, Instant.now()).toMillis();
      if (!finished) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      sandbox.clearFaults();
      Optional<String> record = object("deploy.json");
      String where =
          finished
              ? "finished (exit " + p.exitValue() + ")"
              : record
                  .map(KillRecoveryIT::phase)
                  .orElse(
                      object("lock.json").isPresent() ? "locked, no record" : "before the lock");
      killedIn.merge(where, 1, Integer::sum);

      boolean deployNext = round % 2 == 0;
      String previous = expected;
      Result next =
          deployNext
              ? run("deploy", "staging", "--label", label)
              : run("rollback", "staging", "--to", previous);
      expected = deployNext ? label : previous;
      String context =
          "round "
              + round
              + " ("
              + where
              + ", killed after "
              + delay
              + " ms)\n"
              + next.out()
              + next.err();

      assertThat(next.exit()).as(context).isZero();
      Map<String, String> labels = labels();
      assertThat(labels.values()).as(context).containsOnly(expected);
      assertThat(statuses()).as(context).containsOnly("Ready");
      assertThat(object("lock.json")).as(context).isEmpty();
      assertThat(object("deploy.json")).as(context).isEmpty();
      if (record.isPresent()) {
        assertThat(next.out())
            .as(context)
            .contains("interrupted deploy found")
            .contains("is converged");
        assertThat(object("history.json").orElseThrow())
            .as(context)
            .contains("\"recovered\" : true");
      }
    }
    System.out.println(
        "KillRecoveryIT: "
            + ROUNDS
            + " SIGKILLs (seed "
            + SEED
            + ", a full deploy took "
            + full
            + " ms, the lock appeared after "
            + lockedAt
            + " ms), killed in: "
            + killedIn
            + "; "
            + Duration.between(t0, Instant.now()).toSeconds()
            + " s in all");
  }

  @Test
  void sigint_duringTheWait_rollsBackAndExits130() throws Exception {
    Result first = run("deploy", "staging", "--label", "v0");
    assertThat(first.exit()).as(first.err()).isZero();
    sandbox.configureEnvironment(WORKER, 5000.0, null);
    Process p = start("deploy", "staging", "--label", "v1");
    Instant deadline = Instant.now().plusSeconds(60);
    while (!"Updating".equals(describe(WORKER).statusAsString())
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(tmp.resolve("out-" + p.pid()));
    String err = Files.readString(tmp.resolve("err-" + p.pid()));
    assertThat(p.exitValue()).as(out + err).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(out).contains("SIGINT: stopping").contains("Deploy of v1 to staging INTERRUPTED");
    assertThat(err).contains("interrupted (SIGINT)");
    awaitReady();
    assertThat(labels().values()).containsOnly("v0");
    assertThat(object("lock.json")).isEmpty();
    assertThat(object("history.json").orElseThrow()).contains("\"outcome\" : \"interrupted\"");
  }

  private static String phase(String recordJson) {
    int i = recordJson.indexOf("\"phase\" : \"");
    return i < 0 ? "record" : recordJson.substring(i + 11, recordJson.indexOf('"', i + 11));
  }

  record Result(int exit, String out, String err, Duration took) {}

  private Result run(String... args) throws Exception {
    Instant start = Instant.now();
    Process p = start(args);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(tmp.resolve("out-" + p.pid())),
        Files.readString(tmp.resolve("err-" + p.pid())),
        Duration.between(start, Instant.now()));
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(root.resolve("eb-deploy").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--project-dir", project.path(),
            "--endpoint-url", sandbox.endpoint().toString(),
            "--region", "us-east-1"));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.put("EB_DEPLOY_NO_BUILD", "1");
    env.put("EB_DEPLOY_JAVA_OPTS", "-Debdeploy.pollInterval=5,40 -Debdeploy.healthGrace=400");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("EB_DEPLOY_")
                    && !k.equals("EB_DEPLOY_NO_BUILD")
                    && !k.equals("EB_DEPLOY_JAVA_OPTS"));
    Process p = pb.start();
    Files.move(out, tmp.resolve("out-" + p.pid()));
    Files.move(err, tmp.resolve("err-" + p.pid()));
    return p;
  }

  private Optional<String> object(String name) {
    try {
      return Optional.of(
          s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("eb-deploy/" + APP + "/staging/" + name))
              .asString(StandardCharsets.UTF_8));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
      return Optional.empty();
    }
  }

  private EnvironmentDescription describe(String name) {
    return eb.describeEnvironments(b -> b.environmentNames(name).includeDeleted(false))
        .environments()
        .get(0);
  }

  private Map<String, String> labels() {
    Map<String, String> m = new TreeMap<>();
    for (String n : List.of(WEB, WORKER)) {
      String l = describe(n).versionLabel();
      m.put(n, l == null ? "" : l);
    }
    return m;
  }

  private List<String> statuses() {
    return List.of(describe(WEB).statusAsString(), describe(WORKER).statusAsString());
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!statuses().stream().allMatch("Ready"::equals)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not Ready: " + statuses());
      }
      CliSandbox.sleep(20);
    }
  }
}
