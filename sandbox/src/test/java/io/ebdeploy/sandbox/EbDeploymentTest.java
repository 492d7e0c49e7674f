package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticbeanstalk.model.ElasticBeanstalkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventSeverity;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentResponse;

class EbDeploymentTest {
  private final EbSandbox sandbox = EbSandbox.fast();

  @AfterEach
  void close() {
    sandbox.close();
  }

  private void webOnV1() {
    sandbox.appWithVersions("app", "v1", "v2");
    sandbox.readyWeb("app", "app-web", "v1");
  }

  @Test
  void updateEnvironment_newVersion_deploysAndCompletesThroughEvents() {
    webOnV1();
    Instant before = Instant.now();

    UpdateEnvironmentResponse started =
        sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));

    assertThat(started.statusAsString()).isEqualTo("Updating");
    assertThat(started.abortableOperationInProgress()).isTrue();
    assertThat(started.versionLabel()).isEqualTo("v2");
    EnvironmentDescription done = sandbox.await("app-web", e -> e.statusAsString().equals("Ready"));
    assertThat(done.versionLabel()).isEqualTo("v2");
    assertThat(done.healthAsString()).isEqualTo("Green");
    assertThat(done.healthStatusAsString()).isEqualTo("Ok");
    assertThat(done.abortableOperationInProgress()).isFalse();
    // By request id: the launch's own health transition may be stamped after `before` on a busy
    // machine, as Beanstalk's health events come on their own schedule.
    String requestId = started.responseMetadata().requestId();
    List<EventDescription> events =
        sandbox
            .eb()
            .describeEvents(
                b -> b.environmentName("app-web").startTime(before).requestId(requestId))
            .events();
    assertThat(events)
        .extracting(EventDescription::message)
        .containsExactly(
            "Environment update completed successfully.",
            "New application version was deployed to running EC2 instances.",
            "Instance deployment completed successfully.",
            "Deploying new version to instance(s).",
            "Environment update is starting.");
    assertThat(events).allMatch(e -> e.severity() == EventSeverity.INFO);
    assertThat(events).extracting(EventDescription::requestId).containsOnly(requestId);
    assertThat(events.get(0).eventDate()).isAfterOrEqualTo(events.get(4).eventDate());
  }

  @Test
  void updateEnvironment_whileUpdating_failsWithInvalidState() {
    webOnV1();
    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));

    assertThatThrownBy(
            () ->
                sandbox
                    .eb()
                    .updateEnvironment(b -> b.environmentName("app-web").versionLabel("v1")))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "Environment named app-web is in an invalid state for this operation."
                          + " Must be Ready.");
            });
  }
}
