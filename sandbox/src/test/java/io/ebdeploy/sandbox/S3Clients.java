package io.ebdeploy.sandbox;

import java.net.URI;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** SDK clients for the sandbox's S3, built as a user of the sandbox would build them. */
final class S3Clients {
  private S3Clients() {}

  static S3Client client(URI endpoint, Region region) {
    return client(endpoint, region, b -> {});
  }

  /** A path-style client with dummy credentials, no retries, and the SDK's default checksums. */
  static S3Client client(URI endpoint, Region region, Consumer<S3ClientBuilder> customize) {
    S3ClientBuilder b =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(region)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    customize.accept(b);
    return b.build();
  }
}
