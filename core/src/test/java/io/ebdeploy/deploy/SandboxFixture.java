package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.sandbox.LocalBeanstalk;
import io.ebdeploy.sandbox.SandboxCall;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.ConfigurationOptionSetting;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;

/**
 * A sandbox at 1/1000 of Beanstalk's pace (a 60 s deploy takes 60 ms), its SDK client, and helpers
 * to build a group of environments and a deploy aimed at it.
 */
final class SandboxFixture implements AutoCloseable {
  static final String REGION = "eu-central-1";
  static final String PYTHON =
      "arn:aws:elasticbeanstalk:eu-central-1::platform/Python 3.11 running on 64bit Amazon Linux"
          + " 2023/4.1.0";
  static final String DOCKER =
      "arn:aws:elasticbeanstalk:eu-central-1::platform/Docker running on 64bit Amazon Linux"
          + " 2023/4.3.0";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSANDBOX", "sandbox"));

  /** Retries throttling at once: the SDK's default backoff would cost seconds per test. */
  static final ClientOverrideConfiguration FAST_RETRIES =
      ClientOverrideConfiguration.builder()
          .retryStrategy(
              AwsRetryStrategy.standardRetryStrategy().toBuilder()
                  .maxAttempts(4)
                  .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(2)))
                  .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(2)))
                  .circuitBreakerEnabled(false)
                  .build())
          .build();

  final LocalBeanstalk sandbox;
  final ElasticBeanstalkClient eb;

  SandboxFixture() {
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
    eb =
        ElasticBeanstalkClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(FAST_RETRIES)
            .build();
  }

  void application(String name) {
    eb.createApplication(b -> b.applicationName(name));
  }

  /** Creates an environment tagged env=VALUE (no tag when null) on the Python platform. */
  void environment(String app, String name, boolean worker, String envTag) {
    environment(app, name, worker, envTag == null ? Map.of() : Map.of("env", envTag), PYTHON);
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
      sleep(20);
    }
  }

  /** A group of one application: web + worker environments, all Ready. */
  void group(String app, String tag, List<String> webs, List<String> workers) {
    application(app);
    webs.forEach(w -> environment(app, w, false, tag));
    workers.forEach(w -> environment(app, w, true, tag));
    awaitReady(
        java.util.stream.Stream.concat(webs.stream(), workers.stream()).toArray(String[]::new));
  }

  /** Short timeouts for the sandbox's pace. */
  DeployConfig.Builder config() {
    return DeployConfig.builder()
        .region(REGION)
        .timeouts(
            new DeployConfig.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(3)));
  }

  EbDeploy forBundle(Path zip, String group, String label) {
    return client(EbDeploy.forBundle(zip).group(group).label(label).config(config().build()));
  }

  EbDeploy client(EbDeploy d) {
    return d.endpoint(sandbox.endpoint())
        .credentials(CREDENTIALS)
        .clientOverride(FAST_RETRIES)
        .pollInterval(Duration.ofMillis(5), Duration.ofMillis(40))
        .healthGrace(Duration.ofMillis(400));
  }

  List<SandboxCall> mutatingCalls() {
    return sandbox.calls().stream().filter(SandboxCall::mutating).toList();
  }

  List<SandboxCall> calls(String action) {
    return sandbox.calls().stream().filter(c -> c.action().equals(action)).toList();
  }

  /** The environment properties Beanstalk holds for an environment. */
  Map<String, String> properties(String app, String env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigurationOptionSetting s :
        eb.describeConfigurationSettings(b -> b.applicationName(app).environmentName(env))
            .configurationSettings()
            .get(0)
            .optionSettings()) {
      if ("aws:elasticbeanstalk:application:environment".equals(s.namespace())) {
        out.put(s.optionName(), s.value());
      }
    }
    return out;
  }

  EnvironmentDescription describe(String env) {
    return eb.describeEnvironments(b -> b.environmentNames(env)).environments().get(0);
  }

  /** A zip with one file whose content makes its hash unique. */
  static Path zip(Path dir, String name, String content) throws IOException {
    Path zip = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("application.py"));
      z.write(content.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return zip;
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
    eb.close();
    sandbox.close();
  }
}
