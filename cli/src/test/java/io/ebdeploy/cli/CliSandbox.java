package io.ebdeploy.cli;

import io.ebdeploy.sandbox.LocalBeanstalk;
import io.ebdeploy.sandbox.SandboxCall;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sandbox at 1/1000 of Beanstalk's pace for end-to-end tests of the command line: its SDK client
 * to set groups up, and {@link #run} to execute {@code eb-deploy} in-process against it with
 * millisecond polling, a fixed environment and captured output.
 */
final class CliSandbox implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final String PYTHON =
      "arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux"
          + " 2023/4.1.0";
  static final String DOCKER =
      "arn:aws:elasticbeanstalk:us-east-1::platform/Docker running on 64bit Amazon Linux"
          + " 2023/4.3.0";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  /** Retries throttling at once: the SDK's default backoff would cost seconds per test. */
  static final ClientOverrideConfiguration FAST_RETRIES =
      ClientOverrideConfiguration.builder()
          .retryStrategy(
              AwsRetryStrategy.standardRetryStrategy().toBuilder()
                  .maxAttempts(3)
                  .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(2)))
                  .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(2)))
                  .circuitBreakerEnabled(false)
                  .build())
          .build();

  final LocalBeanstalk sandbox;
  final ElasticBeanstalkClient eb;
  final String region;
  private S3Client s3;

  CliSandbox() {
    this(REGION);
  }

  /** A sandbox whose groups are set up in {@code region} (the sandbox keeps state per region). */
  CliSandbox(String region) {
    this.region = region;
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
    eb =
        ElasticBeanstalkClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.of(region))
            .credentialsProvider(CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(FAST_RETRIES)
            .build();
  }

  /** A context as CI sees it: no terminal, UTC, and no variable but {@code env}. */
  static CliContext context(Map<String, String> env) {
    return new CliContext(
        env,
        false,
        ZoneOffset.UTC,
        Duration.ofMillis(5),
        Duration.ofMillis(40),
        Duration.ofMillis(400),
        Optional.of(CREDENTIALS),
        Optional.of(FAST_RETRIES));
  }

  /** Runs eb-deploy with {@code args} then {@code --endpoint-url} and {@code --region}. */
  Run run(String... args) {
    return run(Map.of(), args);
  }

  /** {@link #run(String...)} with these environment variables. */
  Run run(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", sandbox.endpoint().toString(), "--region", region));
    return execute(context(env), all.toArray(String[]::new));
  }

  /** Runs eb-deploy in-process with exactly these arguments. */
  static Run execute(CliContext context, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EbDeployCommand.commandLine(context);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  void application(String name) {
    eb.createApplication(b -> b.applicationName(name));
  }

  /** An environment tagged {@code env=TAG} (none when null) on the Python platform. */
  void environment(String app, String name, boolean worker, String tag) {
    environment(app, name, worker, tag == null ? Map.of() : Map.of("env", tag), PYTHON);
  }

  void environment(
      String app, String name, boolean worker, Map<String, String> tags, String platformArn) {
    eb.createEnvironment(
        b ->
            b.applicationName(app)
                .environmentName(name)
                .platformArn(platformArn)
                .tier(
                    t ->
                        t.name(worker ? "Worker" : "WebServer")
                            .type(worker ? "SQS/HTTP" : "Standard"))
                .tags(
                    tags.entrySet().stream()
                        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                        .toList()));
  }

  /** One application, its web and worker environments tagged {@code env=TAG}, all Ready. */
  void group(String app, String tag, List<String> webs, List<String> workers) {
    application(app);
    webs.forEach(w -> environment(app, w, false, tag));
    workers.forEach(w -> environment(app, w, true, tag));
    awaitReady(Stream.concat(webs.stream(), workers.stream()).toArray(String[]::new));
  }

  /** Waits (up to 10 s) until every named environment is Ready. */
  void awaitReady(String... names) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      List<EnvironmentDescription> envs =
          eb.describeEnvironments(b -> b.environmentNames(names)).environments();
      if (envs.size() == names.length
          && envs.stream().allMatch(e -> "Ready".equals(e.statusAsString()))) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not Ready in time: " + envs);
      }
      sleep(10);
    }
  }

  /** An S3 client on the sandbox in its region (path-style), built on first use. */
  synchronized S3Client s3() {
    if (s3 == null) {
      s3 =
          S3Client.builder()
              .endpointOverride(sandbox.endpoint())
              .forcePathStyle(true)
              .region(Region.of(region))
              .credentialsProvider(CREDENTIALS)
              .httpClient(UrlConnectionHttpClient.create())
              .build();
    }
    return s3;
  }

  EnvironmentDescription describe(String env) {
    return eb.describeEnvironments(b -> b.environmentNames(env)).environments().get(0);
  }

  List<SandboxCall> mutatingCalls() {
    return sandbox.calls().stream().filter(SandboxCall::mutating).toList();
  }

  List<SandboxCall> calls(String action) {
    return sandbox.calls().stream().filter(c -> c.action().equals(action)).toList();
  }

  /** The names of the environments UpdateEnvironment was called for, in order. */
  List<String> updated() {
    Map<String, String> nameById = new HashMap<>();
    eb.describeEnvironments()
        .environments()
        .forEach(e -> nameById.put(e.environmentId(), e.environmentName()));
    return calls("UpdateEnvironment").stream()
        .map(
            c ->
                c.params().get("EnvironmentName") != null
                    ? (String) c.params().get("EnvironmentName")
                    : nameById.get((String) c.params().get("EnvironmentId")))
        .toList();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (s3 != null) {
      s3.close();
    }
    eb.close();
    sandbox.close();
  }
}
