package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenario through two independent clients, the AWS SDK for Java v2 and the AWS CLI
 * (botocore): if both accept the sandbox unmodified, it speaks the services' real wire protocols.
 */
class ConformanceTest {
  private LocalBeanstalk sandbox;
  @TempDir Path tmp;

  @BeforeEach
  void start() {
    sandbox = LocalBeanstalk.builder().timeScale(0.002).start();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void scenario_throughAwsSdk_passes() throws Exception {
    try (SdkDriver sdk = new SdkDriver(sandbox.endpoint())) {
      run(sdk);
    }
  }

  @Test
  void scenario_throughAwsCli_passes() throws Exception {
    AwsCli.requireAvailable();
    run(new CliDriver(new AwsCli(sandbox.endpoint(), "us-east-1")));
  }

  private void run(ConformanceDriver client) throws Exception {
    String app = "Iaso";
    client.createApplication(app);
    client.createEnvironment(app, "Iaso-staging", "WebServer", Map.of("env", "staging"));
    client.createEnvironment(app, "Iaso-staging-worker", "Worker", Map.of("env", "staging"));
    client.createEnvironment(app, "Iaso-prod", "WebServer", Map.of("env", "production"));
    awaitTrue(() -> client.environments(app).stream().allMatch(e -> e.status().equals("Ready")));
    assertThat(client.environments(app))
        .extracting(ConformanceDriver.Env::name, ConformanceDriver.Env::tier)
        .contains(
            org.assertj.core.groups.Tuple.tuple("Iaso-staging", "WebServer"),
            org.assertj.core.groups.Tuple.tuple("Iaso-staging-worker", "Worker"));

    assertThat(client.environmentArnsTagged("env", "staging"))
        .hasSize(2)
        .allMatch(arn -> arn.startsWith("arn:aws:elasticbeanstalk:"))
        .anyMatch(arn -> arn.endsWith(":environment/Iaso/Iaso-staging"))
        .anyMatch(arn -> arn.endsWith(":environment/Iaso/Iaso-staging-worker"));

    String bucket = "bundles-conformance";
    client.makeBucket(bucket);
    Path bundle = Bundles.write(tmp.resolve("v1.zip"), Bundles.VALID);
    client.upload(bundle, bucket, "Iaso/v1.zip");
    client.createVersion(app, "v1", bucket, "Iaso/v1.zip");
    awaitTrue(() -> client.versionStatus(app, "v1").equals("PROCESSED"));

    Instant before = Instant.now().minusSeconds(1);
    client.updateEnvironment("Iaso-staging", "v1");
    awaitTrue(
        () ->
            client.events(app, before).stream()
                .anyMatch(
                    e ->
                        e.environment().equals("Iaso-staging")
                            && e.message().equals("Environment update completed successfully.")));
    assertThat(client.environment(app, "Iaso-staging").label()).isEqualTo("v1");
    assertThat(client.environment(app, "Iaso-staging").status()).isEqualTo("Ready");

    Path site = tmp.resolve("site");
    Files.createDirectories(site.resolve("css"));
    Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
    Files.writeString(site.resolve("css/app one+two.css"), "body{}");
    client.sync(site, bucket, "static");
    assertThat(client.keys(bucket, "static/"))
        .containsExactlyInAnyOrder("static/index.html", "static/css/app one+two.css");

    // Faults, each observed through this client.
    client.upload(bundle, bucket, "Iaso/v2.zip");
    client.createVersion(app, "v2", bucket, "Iaso/v2.zip");
    awaitTrue(() -> client.versionStatus(app, "v2").equals("PROCESSED"));

    sandbox.inject(Fault.instanceFailure("Iaso-staging-worker"));
    Instant failedAt = Instant.now().minusSeconds(1);
    client.updateEnvironment("Iaso-staging-worker", "v2");
    awaitTrue(
        () ->
            client.events(app, failedAt).stream()
                .anyMatch(
                    e ->
                        e.environment().equals("Iaso-staging-worker")
                            && e.severity().equals("ERROR")
                            && e.message().startsWith("Failed to deploy application")));
    awaitTrue(() -> client.environment(app, "Iaso-staging-worker").status().equals("Ready"));
    assertThat(client.environment(app, "Iaso-staging-worker").label())
        .as("Beanstalk reverts a failed deploy to the previous label")
        .isNotEqualTo("v2");

    sandbox.inject(Fault.hang("Iaso-staging"));
    client.updateEnvironment("Iaso-staging", "v2");
    Thread.sleep(300);
    assertThat(client.environment(app, "Iaso-staging").status()).isEqualTo("Updating");
    assertThat(client.errorCode(() -> client.updateEnvironment("Iaso-staging", "v2")))
        .isEqualTo("InvalidParameterValue");
    client.abort("Iaso-staging");
    awaitTrue(() -> client.environment(app, "Iaso-staging").status().equals("Ready"));
    assertThat(client.environment(app, "Iaso-staging").label()).isEqualTo("v1");

    sandbox.inject(Fault.versionProcessingFailure("v3"));
    client.upload(bundle, bucket, "Iaso/v3.zip");
    client.createVersion(app, "v3", bucket, "Iaso/v3.zip");
    awaitTrue(() -> client.versionStatus(app, "v3").equals("FAILED"));

    sandbox.inject(Fault.throttle(1.0).onService("elasticbeanstalk").times(1));
    assertThat(client.errorCode(() -> client.environments(app))).isEqualTo("Throttling");

    sandbox.inject(Fault.apiError("elasticbeanstalk", "UpdateEnvironment", "InternalFailure", 500));
    assertThat(client.errorCode(() -> client.updateEnvironment("Iaso-staging", "v2")))
        .isEqualTo("InternalFailure");
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(50);
    }
  }
}
