package io.ebdeploy.deploy;

import io.ebdeploy.api.Sourced;
import io.ebdeploy.aws.AwsService;
import io.ebdeploy.aws.AwsSettings;
import io.ebdeploy.aws.ThrottleBudget;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.endpoints.ElasticBeanstalkEndpointProvider;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.endpoints.RdsEndpointProvider;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.endpoints.ResourceGroupsTaggingApiEndpointProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * The AWS clients a command needs, each built on first use and only once (building one costs about
 * half a second), all on one JDK HTTP client. Region, endpoints and the profile come from {@link
 * AwsSettings} (the AWS CLI's and SDKs' rules, each with its source, logged at debug level: {@code
 * -v}). Every client counts its calls ({@link #stats()}).
 */
final class AwsClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AwsClients.class);

  private final AwsSettings settings;
  private final Optional<AwsCredentialsProvider> credentials;
  private final Optional<ClientOverrideConfiguration> override;
  private final ThrottleBudget throttling;
  private final CallCounter counter = new CallCounter();

  private boolean regionLogged;
  private SdkHttpClient http;
  private AwsCredentialsProvider resolvedCredentials;
  private ElasticBeanstalkClient eb;
  private ResourceGroupsTaggingApiClient tagging;
  private S3Client s3;
  private RdsClient rds;

  /**
   * @param throttleBase the first wait of a throttled call ({@link ThrottleBudget}), doubled up to
   *     {@code throttleCap}
   */
  AwsClients(
      AwsSettings settings,
      Optional<AwsCredentialsProvider> credentials,
      Optional<ClientOverrideConfiguration> override,
      Duration throttleBase,
      Duration throttleCap) {
    this.settings = settings;
    this.credentials = credentials;
    this.override = override;
    this.throttling =
        ThrottleBudget.wrapping(
            override
                .flatMap(ClientOverrideConfiguration::retryStrategy)
                .orElseGet(AwsRetryStrategy::defaultRetryStrategy),
            throttleBase,
            throttleCap);
  }

  /**
   * Throttled calls keep trying longer from now on ({@link ThrottleBudget#protectGroup()}): the run
   * is returning the group to one release, or recording how it ended.
   */
  void protectGroup() {
    throttling.protectGroup();
  }

  /** Where the region, the profile and the endpoints come from. */
  AwsSettings settings() {
    return settings;
  }

  /** The calls made so far through these clients. */
  io.ebdeploy.api.CallStats stats() {
    return counter.stats();
  }

  synchronized RdsClient rds() {
    if (rds == null) {
      var b = RdsClient.builder();
      common(b, AwsService.RDS);
      if (ignored(AwsService.RDS)) {
        RdsEndpointProvider aws = RdsEndpointProvider.defaultProvider();
        b.endpointProvider(p -> aws.resolveEndpoint(p.toBuilder().endpoint(null).build()));
      }
      b.httpClient(http());
      rds = b.build();
    }
    return rds;
  }

  synchronized ElasticBeanstalkClient eb() {
    if (eb == null) {
      var b = ElasticBeanstalkClient.builder();
      common(b, AwsService.ELASTIC_BEANSTALK);
      if (ignored(AwsService.ELASTIC_BEANSTALK)) {
        ElasticBeanstalkEndpointProvider aws = ElasticBeanstalkEndpointProvider.defaultProvider();
        b.endpointProvider(p -> aws.resolveEndpoint(p.toBuilder().endpoint(null).build()));
      }
      b.httpClient(http());
      eb = b.build();
    }
    return eb;
  }

  synchronized ResourceGroupsTaggingApiClient tagging() {
    if (tagging == null) {
      var b = ResourceGroupsTaggingApiClient.builder();
      common(b, AwsService.RESOURCE_GROUPS_TAGGING_API);
      if (ignored(AwsService.RESOURCE_GROUPS_TAGGING_API)) {
        ResourceGroupsTaggingApiEndpointProvider aws =
            ResourceGroupsTaggingApiEndpointProvider.defaultProvider();
        b.endpointProvider(p -> aws.resolveEndpoint(p.toBuilder().endpoint(null).build()));
      }
      b.httpClient(http());
      tagging = b.build();
    }
    return tagging;
  }

  synchronized S3Client s3() {
    if (s3 == null) {
      var b = S3Client.builder();
      boolean custom = common(b, AwsService.S3);
      if (ignored(AwsService.S3)) {
        S3EndpointProvider aws = S3EndpointProvider.defaultProvider();
        b.endpointProvider(p -> aws.resolveEndpoint(p.toBuilder().endpoint(null).build()));
      }
      b.httpClient(http());
      // A custom endpoint (the sandbox, MinIO...) has no bucket subdomains.
      if (custom) {
        b.forcePathStyle(true);
      }
      // Checksums only where asked for: static files carry Content-MD5, the bundle's parts CRC32.
      // Without the SDK's default CRC32 trailer and aws-chunked framing a PUT costs ~15% less
      // CPU (5,000 static files: 5.7 s instead of 6.8 s of client CPU; bench/README.md).
      b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
      b.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      b.serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
      // The static files' bucket often lives in another region than the environments (a CDN's
      // origin in us-east-1): follow S3's region redirects instead of failing.
      b.crossRegionAccessEnabled(true);
      s3 = b.build();
    }
    return s3;
  }

  /** The region the clients use. */
  synchronized Region region() {
    return settings.region().value();
  }

  /**
   * Region, credentials, endpoint and counter for one client; true when the endpoint is not AWS's.
   * Each is logged with its source once, at the client's first use.
   */
  private <B extends AwsClientBuilder<B, ?>> boolean common(B b, AwsService service) {
    Sourced<Region> region = settings.region();
    if (!regionLogged) {
      regionLogged = true;
      LOG.debug("region {} (from {})", region.value().id(), region.source());
    }
    b.region(region.value());
    b.credentialsProvider(credentials());
    Optional<Sourced<URI>> endpoint = settings.endpoint(service);
    endpoint.ifPresent(e -> b.endpointOverride(e.value()));
    LOG.debug(
        "{} endpoint {}",
        service.serviceId(),
        endpoint.map(Sourced::toString).orElse("AWS's own for " + region.value().id()));
    b.overrideConfiguration(overrideWithCounter());
    return endpoint.isPresent();
  }

  /**
   * True when endpoints from the environment are to be ignored and none is explicit: the SDK would
   * still read AWS_ENDPOINT_URL itself (2.40.2 does not know the switch), so its endpoint parameter
   * is cleared and the service's own endpoint rules apply.
   */
  private boolean ignored(AwsService service) {
    return settings.ignoresConfiguredEndpoints() && settings.endpoint(service).isEmpty();
  }

  /** The caller's settings, the call counter, and the throttling budget on every client. */
  private ClientOverrideConfiguration overrideWithCounter() {
    return override
        .map(ClientOverrideConfiguration::toBuilder)
        .orElseGet(ClientOverrideConfiguration::builder)
        .retryStrategy(throttling)
        .addExecutionInterceptor(counter)
        .build();
  }

  private AwsCredentialsProvider credentials() {
    if (resolvedCredentials == null) {
      resolvedCredentials = credentials.orElseGet(this::credentialsChain);
    }
    return resolvedCredentials;
  }

  /** A named profile's credentials only; else the SDK's chain, with AWS_PROFILE as its profile. */
  private AwsCredentialsProvider credentialsChain() {
    String profile = settings.profile().value();
    if (settings.explicitProfile()) {
      return ProfileCredentialsProvider.builder()
          .profileFile(settings.profileFile())
          .profileName(profile)
          .build();
    }
    return DefaultCredentialsProvider.builder()
        .profileFile(settings.profileFile())
        .profileName(profile)
        .build();
  }

  private SdkHttpClient http() {
    if (http == null) {
      // The CA certificates are parsed at the first TLS handshake, not for an http:// endpoint.
      http =
          UrlConnectionHttpClient.builder()
              .tlsTrustManagersProvider(LazyTrustManager::managers)
              .build();
    }
    return http;
  }

  @Override
  public synchronized void close() {
    if (eb != null) {
      eb.close();
    }
    if (tagging != null) {
      tagging.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (rds != null) {
      rds.close();
    }
    if (http != null) {
      http.close();
    }
  }
}
