package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.ElasticBeanstalkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;

/** The Elastic Beanstalk API as wired by {@link LocalBeanstalk}, with its control API. */
class LocalBeanstalkEbTest {
  private static ElasticBeanstalkClient client(LocalBeanstalk sandbox) {
    return ElasticBeanstalkClient.builder()
        .endpointOverride(sandbox.endpoint())
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(EbSandbox.credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void localBeanstalk_controlApiBehaviour_settlesLaunchedEnvironmentYellow() throws Exception {
    try (LocalBeanstalk sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
        ElasticBeanstalkClient eb = client(sandbox)) {
      HttpResponse<String> put =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(sandbox.endpoint() + "/_sandbox/environments/app-worker"))
                      .PUT(HttpRequest.BodyPublishers.ofString("{\"health\":\"Yellow\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      eb.createApplication(b -> b.applicationName("app"));
      eb.createEnvironment(
          b ->
              b.applicationName("app")
                  .environmentName("app-worker")
                  .solutionStackName(EbSandbox.STACK)
                  .tier(t -> t.name("Worker").type("SQS/HTTP")));

      EnvironmentDescription e = null;
      for (int i = 0; i < 400; i++) {
        e = eb.describeEnvironments(b -> b.environmentNames("app-worker")).environments().get(0);
        if ("Warning".equals(e.healthStatusAsString())) {
          break;
        }
        Thread.sleep(5);
      }

      assertThat(put.statusCode()).isEqualTo(200);
      assertThat(e.statusAsString()).isEqualTo("Ready");
      assertThat(e.healthAsString()).isEqualTo("Yellow");
    }
  }

  @Test
  void throttleFault_elasticBeanstalk_answersThrottlingRateExceeded() {
    try (LocalBeanstalk sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
        ElasticBeanstalkClient eb = client(sandbox)) {
      sandbox.inject(Fault.throttle(1.0).onService("elasticbeanstalk"));

      assertThatThrownBy(eb::describeEnvironments)
          .isInstanceOfSatisfying(
              ElasticBeanstalkException.class,
              ex -> {
                assertThat(ex.statusCode()).isEqualTo(400);
                assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(ex.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                assertThat(ex.isThrottlingException()).isTrue();
              });
      assertThat(sandbox.calls())
          .last()
          .extracting(SandboxCall::action)
          .isEqualTo("DescribeEnvironments");
    }
  }
}
