package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.sandbox.eb.Timeline;
import io.ebdeploy.sandbox.eb.UpdateActions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticbeanstalk.model.CreateEnvironmentResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEnvironmentsResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeEventsResponse;
import software.amazon.awssdk.services.elasticbeanstalk.model.ElasticBeanstalkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventSeverity;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;

class EbEnvironmentsTest {
  private final EbSandbox sandbox = EbSandbox.manual();

  @AfterEach
  void close() {
    sandbox.close();
  }

  private static void assertError(Runnable call, String code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            });
  }

  private CreateEnvironmentResponse web(String name) {
    return sandbox.createEnvironment(
        "app",
        name,
        b ->
            b.cnamePrefix(name)
                .versionLabel("v1")
                .tags(Tag.builder().key("env").value("staging").build()));
  }

  @Test
  void createEnvironment_web_launchesThenReady() {
    sandbox.appWithVersions("app", "v1");

    CreateEnvironmentResponse r = web("app-web");
    sandbox.tick(Timeline.LAUNCH_SECONDS / 2);
    String midway = sandbox.describe("app-web").statusAsString();
    sandbox.tick(Timeline.LAUNCH_SECONDS);
    EnvironmentDescription ready = sandbox.describe("app-web");

    assertThat(r.statusAsString()).isEqualTo("Launching");
    assertThat(r.healthAsString()).isEqualTo("Grey");
    assertThat(r.environmentId()).matches("e-[a-z0-9]{10}");
    assertThat(r.platformArn())
        .isEqualTo(
            "arn:aws:elasticbeanstalk:eu-central-1::platform/Python 3.11 running on 64bit Amazon"
                + " Linux 2023/4.1.0");
    assertThat(r.cname()).isEqualTo("app-web.eu-central-1.elasticbeanstalk.com");
    assertThat(r.endpointURL()).endsWith(".eu-central-1.elb.amazonaws.com");
    assertThat(r.tier().name()).isEqualTo("WebServer");
    assertThat(r.tier().type()).isEqualTo("Standard");
    assertThat(r.environmentArn())
        .isEqualTo("arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/app-web");
    assertThat(midway).isEqualTo("Launching");
    assertThat(ready.statusAsString()).isEqualTo("Ready");
    assertThat(ready.healthAsString()).isEqualTo("Green");
    assertThat(ready.healthStatusAsString()).isEqualTo("Ok");
    assertThat(ready.versionLabel()).isEqualTo("v1");
    assertThat(sandbox.messages("app-web"))
        .startsWith("createEnvironment is starting.")
        .contains("Successfully launched environment: app-web")
        .endsWith("Environment health has transitioned from Pending to Ok.");
  }

  @Test
  void createEnvironment_worker_hasWorkerTierAndNoCname() {
    sandbox.appWithVersions("app", "v1");

    CreateEnvironmentResponse r =
        sandbox
            .eb()
            .createEnvironment(
                b ->
                    b.applicationName("app")
                        .environmentName("app-worker")
                        .platformArn(
                            "arn:aws:elasticbeanstalk:eu-central-1::platform/Python 3.11 running on"
                                + " 64bit Amazon Linux 2023/4.1.0")
                        .tier(t -> t.name("Worker").type("SQS/HTTP")));

    assertThat(r.tier().name()).isEqualTo("Worker");
    assertThat(r.tier().type()).isEqualTo("SQS/HTTP");
    assertThat(r.cname()).isNull();
    assertThat(r.endpointURL()).isNull();
    assertThat(r.solutionStackName()).isEqualTo(EbSandbox.STACK);
    assertThat(r.versionLabel()).isNull();
  }

  @Test
  void createEnvironment_errors_answerBeanstalksMessages() {
    sandbox.appWithVersions("app", "v1");
    web("app-web");

    assertError(
        () -> web("app-web"), "InvalidParameterValue", "Environment app-web already exists.");
    assertError(
        () -> sandbox.createEnvironment("nope", "nope-web", b -> {}),
        "InvalidParameterValue",
        "No Application named 'nope' found.");
    assertError(
        () ->
            sandbox
                .eb()
                .createEnvironment(
                    b ->
                        b.applicationName("app")
                            .environmentName("app-x")
                            .solutionStackName("Python")),
        "InvalidParameterValue",
        "No Solution Stack named 'Python' found.");
    assertError(
        () -> sandbox.createEnvironment("app", "app-x", b -> b.versionLabel("v9")),
        "InvalidParameterValue",
        "No Application Version named 'v9' found.");
    assertError(
        () -> sandbox.createEnvironment("app", "app-x", b -> b.cnamePrefix("app-web")),
        "InvalidParameterValue",
        "DNS name (app-web.eu-central-1.elasticbeanstalk.com) is not available.");
    assertThatThrownBy(() -> sandbox.createEnvironment("app", "abc", b -> {}))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
  }

  @Test
  void describeEnvironments_filtersAndPages() {
    sandbox.appWithVersions("app", "v1", "v2");
    sandbox.appWithVersions("other", "v1");
    for (int i = 1; i <= 5; i++) {
      web("app-web" + i);
    }
    sandbox.createEnvironment("other", "other-web", b -> {});
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);

    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      DescribeEnvironmentsResponse r =
          sandbox
              .eb()
              .describeEnvironments(b -> b.applicationName("app").maxRecords(2).nextToken(t));
      assertThat(r.environments().size()).isLessThanOrEqualTo(2);
      r.environments().forEach(e -> names.add(e.environmentName()));
      token = r.nextToken();
    } while (token != null);
    String id3 = sandbox.describe("app-web3").environmentId();

    assertThat(names).containsExactly("app-web1", "app-web2", "app-web3", "app-web4", "app-web5");
    assertThat(sandbox.eb().describeEnvironments(b -> b.environmentIds(id3)).environments())
        .extracting(EnvironmentDescription::environmentName)
        .containsExactly("app-web3");
    assertThat(sandbox.eb().describeEnvironments(b -> b.versionLabel("v1")).environments())
        .hasSize(5);
    assertThat(sandbox.eb().describeEnvironments().environments()).hasSize(6);
  }

  @Test
  void terminateEnvironment_ready_terminatesAndStaysVisibleForAWhile() {
    sandbox.appWithVersions("app", "v1");
    web("app-web");
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    Instant beforeTermination = sandbox.now();

    var r = sandbox.eb().terminateEnvironment(b -> b.environmentName("app-web"));
    sandbox.tick(Timeline.TERMINATE_SECONDS);
    List<EnvironmentDescription> shortlyAfter =
        sandbox.eb().describeEnvironments(b -> b.environmentNames("app-web")).environments();
    List<EnvironmentDescription> withoutDeleted =
        sandbox
            .eb()
            .describeEnvironments(b -> b.environmentNames("app-web").includeDeleted(false))
            .environments();
    sandbox.tick(Timeline.TERMINATED_VISIBLE_SECONDS + 1);
    List<EnvironmentDescription> muchLater =
        sandbox.eb().describeEnvironments(b -> b.environmentNames("app-web")).environments();
    List<EnvironmentDescription> backTo =
        sandbox
            .eb()
            .describeEnvironments(
                b -> b.environmentNames("app-web").includedDeletedBackTo(beforeTermination))
            .environments();

    assertThat(r.statusAsString()).isEqualTo("Terminating");
    assertThat(shortlyAfter)
        .extracting(EnvironmentDescription::statusAsString)
        .containsExactly("Terminated");
    assertThat(withoutDeleted).isEmpty();
    assertThat(muchLater).isEmpty();
    assertThat(backTo).hasSize(1);
    assertThat(sandbox.messages("app-web"))
        .endsWith(
            "terminateEnvironment is starting.", "terminateEnvironment completed successfully.");
    // The name is free again once the environment is terminated.
    web("app-web");
  }

  @Test
  void terminateEnvironment_whileUpdating_isRefused() {
    sandbox.appWithVersions("app", "v1", "v2");
    web("app-web");
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));

    assertError(
        () -> sandbox.eb().terminateEnvironment(b -> b.environmentName("app-web")),
        "InvalidParameterValue",
        "Cannot terminate environment named app-web. It is currently pending deployment.");
  }

  @Test
  void describeEvents_filters_severityTimeRequestIdAndPaging() {
    sandbox.appWithVersions("app", "v1", "v2");
    web("app-web");
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    Instant deployStart = sandbox.now();
    sandbox.faults.add(Fault.instanceFailure("app-web"));
    String requestId =
        sandbox
            .eb()
            .updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"))
            .responseMetadata()
            .requestId();
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS);
    Instant end = sandbox.now();

    List<EventDescription> errors =
        sandbox
            .eb()
            .describeEvents(
                b ->
                    b.environmentName("app-web")
                        .severity(EventSeverity.ERROR)
                        .startTime(deployStart))
            .events();
    List<EventDescription> byRequest =
        sandbox.eb().describeEvents(b -> b.requestId(requestId)).events();
    List<EventDescription> beforeDeploy =
        sandbox
            .eb()
            .describeEvents(b -> b.environmentName("app-web").endTime(deployStart))
            .events();
    List<EventDescription> all =
        sandbox.eb().describeEvents(b -> b.applicationName("app").endTime(end)).events();
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      DescribeEventsResponse r =
          sandbox
              .eb()
              .describeEvents(
                  b -> b.applicationName("app").endTime(end).maxRecords(3).nextToken(t));
      r.events().forEach(e -> paged.add(e.message()));
      token = r.nextToken();
    } while (token != null);

    assertThat(errors).isNotEmpty().allMatch(e -> e.severity() == EventSeverity.ERROR);
    assertThat(errors.get(0).message()).isEqualTo(UpdateActions.UPDATE_FAILED);
    assertThat(byRequest).hasSize(9).allMatch(e -> requestId.equals(e.requestId()));
    assertThat(beforeDeploy).noneMatch(e -> e.message().equals("Environment update is starting."));
    assertThat(paged).isEqualTo(all.stream().map(EventDescription::message).toList());
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i - 1).eventDate()).isAfterOrEqualTo(all.get(i).eventDate());
    }
  }

  @Test
  void describeConfigurationSettings_environment_listsDefaultsAndSetOptions() {
    sandbox.appWithVersions("app", "v1");
    sandbox.createEnvironment(
        "app",
        "app-web",
        b ->
            b.optionSettings(
                o ->
                    o.namespace("aws:elasticbeanstalk:application:environment")
                        .optionName("DJANGO_SETTINGS_MODULE")
                        .value("hat.settings")));

    var settings =
        sandbox
            .eb()
            .describeConfigurationSettings(b -> b.applicationName("app").environmentName("app-web"))
            .configurationSettings();

    assertThat(settings).hasSize(1);
    assertThat(settings.get(0).environmentName()).isEqualTo("app-web");
    assertThat(settings.get(0).deploymentStatusAsString()).isEqualTo("deployed");
    assertThat(settings.get(0).optionSettings())
        .anyMatch(
            o ->
                o.optionName().equals("DJANGO_SETTINGS_MODULE") && o.value().equals("hat.settings"))
        .anyMatch(o -> o.optionName().equals("DeploymentPolicy") && o.value().equals("AllAtOnce"));
  }

  @Test
  void tagsForResource_listAndUpdate_keepSystemTagsAndRunAnUpdate() {
    sandbox.appWithVersions("app", "v1");
    web("app-web");
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    String arn = sandbox.describe("app-web").environmentArn();
    String id = sandbox.describe("app-web").environmentId();

    sandbox
        .eb()
        .updateTagsForResource(
            b ->
                b.resourceArn(arn)
                    .tagsToAdd(Tag.builder().key("team").value("geo").build())
                    .tagsToRemove("env"));
    String during = sandbox.describe("app-web").statusAsString();
    sandbox.tick(Timeline.TAG_UPDATE_SECONDS);
    List<Tag> tags = sandbox.eb().listTagsForResource(b -> b.resourceArn(arn)).resourceTags();

    assertThat(during).isEqualTo("Updating");
    assertThat(sandbox.describe("app-web").statusAsString()).isEqualTo("Ready");
    assertThat(tags)
        .extracting(t -> t.key() + "=" + t.value())
        .containsExactly(
            "elasticbeanstalk:environment-name=app-web",
            "elasticbeanstalk:environment-id=" + id,
            "Name=app-web",
            "team=geo");
    assertThat(sandbox.messages("app-web"))
        .endsWith("Environment tag update completed successfully.");
    assertError(
        () -> sandbox.eb().updateTagsForResource(b -> b.resourceArn(arn).tagsToRemove("Name")),
        "InvalidParameterValue",
        "Tag key 'Name' is reserved by Elastic Beanstalk and cannot be removed.");
    assertThatThrownBy(
            () ->
                sandbox
                    .eb()
                    .listTagsForResource(
                        b ->
                            b.resourceArn(
                                "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/gone")))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException"));
  }
}
