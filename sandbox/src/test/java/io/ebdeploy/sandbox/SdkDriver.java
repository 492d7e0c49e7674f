package io.ebdeploy.sandbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentTier;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The conformance scenario through the AWS SDK for Java v2, retries off so faults show. */
final class SdkDriver implements ConformanceDriver, AutoCloseable {
  private final ElasticBeanstalkClient eb;
  private final ResourceGroupsTaggingApiClient tagging;
  private final S3Client s3;

  SdkDriver(URI endpoint) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    eb =
        ElasticBeanstalkClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    tagging =
        ResourceGroupsTaggingApiClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .forcePathStyle(true)
            .build();
  }

  @Override
  public void createApplication(String app) {
    eb.createApplication(r -> r.applicationName(app));
  }

  @Override
  public void createEnvironment(String app, String env, String tier, Map<String, String> tags) {
    eb.createEnvironment(
        r ->
            r.applicationName(app)
                .environmentName(env)
                .solutionStackName("64bit Amazon Linux 2023 v4.1.0 running Python 3.11")
                .tier(
                    tier.equals("Worker")
                        ? EnvironmentTier.builder().name("Worker").type("SQS/HTTP").build()
                        : EnvironmentTier.builder().name("WebServer").type("Standard").build())
                .tags(
                    tags.entrySet().stream()
                        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                        .toList()));
  }

  @Override
  public List<Env> environments(String app) {
    return eb.describeEnvironments(r -> r.applicationName(app)).environments().stream()
        .map(
            e ->
                new Env(
                    e.environmentName(),
                    e.tier().name(),
                    e.statusAsString(),
                    e.healthAsString(),
                    e.versionLabel()))
        .toList();
  }

  @Override
  public List<String> environmentArnsTagged(String key, String value) {
    return tagging
        .getResourcesPaginator(
            r ->
                r.resourceTypeFilters("elasticbeanstalk:environment")
                    .tagFilters(f -> f.key(key).values(value)))
        .resourceTagMappingList()
        .stream()
        .map(ResourceTagMapping::resourceARN)
        .toList();
  }

  @Override
  public void makeBucket(String bucket) {
    s3.createBucket(r -> r.bucket(bucket));
  }

  @Override
  public void upload(Path file, String bucket, String key) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  @Override
  public void createVersion(String app, String label, String bucket, String key) {
    eb.createApplicationVersion(
        r ->
            r.applicationName(app)
                .versionLabel(label)
                .sourceBundle(b -> b.s3Bucket(bucket).s3Key(key))
                .process(true));
  }

  @Override
  public String versionStatus(String app, String label) {
    return eb.describeApplicationVersions(r -> r.applicationName(app).versionLabels(label))
        .applicationVersions()
        .get(0)
        .statusAsString();
  }

  @Override
  public void updateEnvironment(String env, String label) {
    eb.updateEnvironment(r -> r.environmentName(env).versionLabel(label));
  }

  @Override
  public void abort(String env) {
    eb.abortEnvironmentUpdate(r -> r.environmentName(env));
  }

  @Override
  public List<Event> events(String app, Instant since) {
    List<Event> out = new ArrayList<>();
    for (EventDescription e :
        eb.describeEvents(r -> r.applicationName(app).startTime(since)).events()) {
      out.add(new Event(e.environmentName(), e.severityAsString(), e.message()));
    }
    return out;
  }

  @Override
  public void sync(Path dir, String bucket, String prefix) {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f ->
                  upload(
                      f, bucket, prefix + "/" + dir.relativize(f).toString().replace('\\', '/')));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public List<String> keys(String bucket, String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  @Override
  public String errorCode(Runnable call) {
    try {
      call.run();
    } catch (AwsServiceException e) {
      return e.awsErrorDetails().errorCode();
    }
    throw new AssertionError("the call succeeded; a failure was expected");
  }

  @Override
  public void close() {
    eb.close();
    tagging.close();
    s3.close();
  }
}
