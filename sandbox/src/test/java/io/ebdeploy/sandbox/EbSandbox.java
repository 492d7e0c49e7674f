package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.eb.EbApi;
import io.ebdeploy.sandbox.s3.S3Store;
import io.ebdeploy.sandbox.service.Faults;
import io.ebdeploy.sandbox.service.SandboxContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.CreateEnvironmentRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.CreateEnvironmentResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * A sandbox for the Elastic Beanstalk and Tagging tests: a {@link LocalBeanstalk}, keeping handles
 * on its store, faults and Elastic Beanstalk so that tests can place bundles and tune behaviour.
 * Fixtures (bundles, bucket tags) go straight into the store: these tests are about Elastic
 * Beanstalk and Tagging; S3's wire behaviour has its own tests.
 */
final class EbSandbox implements AutoCloseable {
  static final String REGION = "eu-central-1";
  static final String STACK = "64bit Amazon Linux 2023 v4.1.0 running Python 3.11";

  final Faults faults;
  final SandboxContext context;
  final S3Store store;
  final EbApi eb;
  private final LocalBeanstalk sandbox;

  /** The clock of a {@link #manual()} sandbox, or null when it runs on the wall clock. */
  private final AtomicLong manualTime;

  private ElasticBeanstalkClient ebClient;
  private ResourceGroupsTaggingApiClient taggingClient;

  EbSandbox(double timeScale, Path stateDir) {
    this(timeScale, stateDir, null);
  }

  private EbSandbox(double timeScale, Path stateDir, AtomicLong manualTime) {
    this.manualTime = manualTime;
    LocalBeanstalk.Builder b = LocalBeanstalk.builder().timeScale(timeScale).stateDir(stateDir);
    if (manualTime != null) {
      b.clock(manualTime::get);
    }
    sandbox = b.start();
    faults = sandbox.faults();
    context = sandbox.context();
    store = sandbox.s3Store();
    eb = sandbox.eb();
  }

  static EbSandbox fast() {
    return new EbSandbox(0.001, null);
  }

  /** A sandbox at Beanstalk's own pace (time scale 1) whose clock only moves with {@link #tick}. */
  static EbSandbox manual() {
    return new EbSandbox(1.0, null, new AtomicLong(System.currentTimeMillis()));
  }

  /** Moves a {@link #manual()} sandbox's clock on by this many simulated seconds. */
  void tick(double seconds) {
    manualTime.addAndGet(context.scaledMillis(seconds));
  }

  /** The manual clock's current instant. */
  Instant now() {
    return Instant.ofEpochMilli(manualTime.get());
  }

  URI endpoint() {
    return sandbox.endpoint();
  }

  ElasticBeanstalkClient eb() {
    if (ebClient == null) {
      ebClient = client(ElasticBeanstalkClient.builder());
    }
    return ebClient;
  }

  ResourceGroupsTaggingApiClient tagging() {
    if (taggingClient == null) {
      taggingClient = client(ResourceGroupsTaggingApiClient.builder());
    }
    return taggingClient;
  }

  /** A client of this sandbox in REGION, retries off so that faults show. */
  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
    return builder
        .endpointOverride(endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  }

  /** An object in the sandbox S3, its bucket in REGION. */
  void putObject(String bucket, String key, byte[] bytes) {
    store.ensureBucket(bucket, REGION);
    store.write(bucket, key, bytes, null);
  }

  /** A tagged bucket in REGION. */
  void tagBucket(String bucket, Map<String, String> tags) {
    store.ensureBucket(bucket, REGION);
    store.setBucketTags(bucket, tags);
  }

  /** A zip holding these files (name to content). */
  static byte[] zip(Map<String, String> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        z.putNextEntry(new ZipEntry(f.getKey()));
        z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Creates an application, a processed-free version {@code label} with a valid bundle. */
  void appWithVersions(String app, String... labels) {
    eb().createApplication(b -> b.applicationName(app));
    for (String label : labels) {
      version(app, label);
    }
  }

  void version(String app, String label) {
    String key = app + "/" + label + ".zip";
    putObject("bundles", key, zip(Map.of("app.py", "print('" + label + "')")));
    eb().createApplicationVersion(
            b ->
                b.applicationName(app)
                    .versionLabel(label)
                    .sourceBundle(s -> s.s3Bucket("bundles").s3Key(key)));
  }

  /**
   * CreateEnvironment of {@code env} in {@code app} on {@link #STACK}; {@code more} sets the rest.
   */
  CreateEnvironmentResponse createEnvironment(
      String app, String env, Consumer<CreateEnvironmentRequest.Builder> more) {
    return eb().createEnvironment(
            b -> more.accept(b.applicationName(app).environmentName(env).solutionStackName(STACK)));
  }

  /** Creates a web environment on {@code label} and waits for it to be Ready. */
  EnvironmentDescription readyWeb(String app, String env, String label) {
    createEnvironment(
        app, env, b -> b.versionLabel(label).tags(t -> t.key("env").value("staging")));
    return await(
        env, e -> e.statusAsString().equals("Ready") && "Ok".equals(e.healthStatusAsString()));
  }

  EnvironmentDescription describe(String env) {
    List<EnvironmentDescription> found =
        eb().describeEnvironments(b -> b.environmentNames(env).includeDeleted(false))
            .environments();
    assertThat(found).as("live environment %s", env).hasSize(1);
    return found.get(0);
  }

  /** Polls DescribeEnvironments until the predicate holds; fails after 10 s. */
  EnvironmentDescription await(String env, Predicate<EnvironmentDescription> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    EnvironmentDescription last = null;
    while (System.nanoTime() < deadline) {
      last = describe(env);
      if (condition.test(last)) {
        return last;
      }
      sleep(5);
    }
    throw new AssertionError("environment " + env + " never reached the expected state: " + last);
  }

  /** The environment's event messages, oldest first. */
  List<String> messages(String env) {
    List<String> out = new ArrayList<>();
    for (EventDescription e : eb().describeEvents(b -> b.environmentName(env)).events()) {
      out.add(0, e.message());
    }
    return out;
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
    if (ebClient != null) {
      ebClient.close();
    }
    if (taggingClient != null) {
      taggingClient.close();
    }
    sandbox.close();
  }
}
