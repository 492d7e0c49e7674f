package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.eb.Timeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox through an independent client: the AWS CLI (botocore). */
class EbAwsCliTest {
  private final EbSandbox sandbox = EbSandbox.manual();
  private AwsCli aws;

  @BeforeEach
  void cli() {
    AwsCli.requireAvailable();
    aws = new AwsCli(sandbox.endpoint(), EbSandbox.REGION);
  }

  @AfterEach
  void close() {
    sandbox.close();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> json, String member) {
    return (List<Map<String, Object>>) json.get(member);
  }

  @Test
  void awsCli_createAndDescribe_roundTripsThroughBotocore() {
    AwsCli.Result app =
        aws.run("elasticbeanstalk", "create-application", "--application-name", "app");
    sandbox.version("app", "v1");
    AwsCli.Result env =
        aws.run(
            "elasticbeanstalk",
            "create-environment",
            "--application-name",
            "app",
            "--environment-name",
            "app-web",
            "--solution-stack-name",
            EbSandbox.STACK,
            "--version-label",
            "v1",
            "--tags",
            "Key=env,Value=staging");
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    AwsCli.Result described =
        aws.run("elasticbeanstalk", "describe-environments", "--environment-names", "app-web");
    AwsCli.Result events =
        aws.run("elasticbeanstalk", "describe-events", "--environment-name", "app-web");
    AwsCli.Result versions =
        aws.run("elasticbeanstalk", "describe-application-versions", "--application-name", "app");

    assertThat(app.exitCode()).as(app.stderr()).isZero();
    assertThat(env.exitCode()).as(env.stderr()).isZero();
    assertThat(env.json()).containsEntry("Status", "Launching");
    assertThat(described.exitCode()).as(described.stderr()).isZero();
    Map<String, Object> e = list(described.json(), "Environments").get(0);
    assertThat(e)
        .containsEntry("Status", "Ready")
        .containsEntry("Health", "Green")
        .containsEntry("VersionLabel", "v1")
        .containsEntry("AbortableOperationInProgress", false);
    assertThat(list(events.json(), "Events").get(0))
        .containsEntry("Message", "Environment health has transitioned from Pending to Ok.");
    assertThat(list(versions.json(), "ApplicationVersions").get(0))
        .containsEntry("Status", "UNPROCESSED");
  }

  @Test
  void awsCli_error_showsBeanstalksCodeAndMessage() {
    sandbox.appWithVersions("app", "v1");

    AwsCli.Result r =
        aws.run(
            "elasticbeanstalk",
            "update-environment",
            "--environment-name",
            "nope-env",
            "--version-label",
            "v1");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .contains("(InvalidParameterValue)")
        .contains("No Environment found for EnvironmentName = 'nope-env'.");
  }

  @Test
  void awsCli_getResources_findsEnvironmentsByTag() {
    sandbox.appWithVersions("app");
    sandbox.createEnvironment("app", "app-web", b -> b.tags(t -> t.key("env").value("staging")));

    AwsCli.Result r =
        aws.run(
            "resourcegroupstaggingapi",
            "get-resources",
            "--resource-type-filters",
            "elasticbeanstalk:environment",
            "--tag-filters",
            "Key=env,Values=staging");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(list(r.json(), "ResourceTagMappingList"))
        .extracting(m -> m.get("ResourceARN"))
        .containsExactly(
            "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/app-web");
  }
}
