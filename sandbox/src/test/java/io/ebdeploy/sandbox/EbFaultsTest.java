package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.sandbox.eb.Timeline;
import io.ebdeploy.sandbox.eb.UpdateActions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticbeanstalk.model.ElasticBeanstalkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;

/** Deployments and their faults, observed step by step on a hand-driven clock. */
class EbFaultsTest {
  private final EbSandbox sandbox = EbSandbox.manual();

  @AfterEach
  void close() {
    sandbox.close();
  }

  private Instant webOnV1(String env) {
    sandbox.appWithVersions("app", "v1", "v2");
    sandbox.createEnvironment("app", env, b -> b.versionLabel("v1"));
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    assertThat(sandbox.describe(env).statusAsString()).isEqualTo("Ready");
    sandbox.tick(1);
    return sandbox.now();
  }

  private List<EventDescription> eventsSince(String env, Instant since) {
    return sandbox.eb().describeEvents(b -> b.environmentName(env).startTime(since)).events();
  }

  private static List<String> oldestFirst(List<EventDescription> events) {
    List<String> out = new java.util.ArrayList<>();
    for (EventDescription e : events) {
      out.add(0, e.severityAsString() + " " + e.message());
    }
    return out;
  }

  @Test
  void instanceFailure_deploy_revertsLabelTurnsRedThenRecovers() {
    Instant since = webOnV1("app-web");
    sandbox.faults.add(Fault.instanceFailure("app-web"));

    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));
    EnvironmentDescription updating = sandbox.describe("app-web");
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS * 0.8);
    EnvironmentDescription failed = sandbox.describe("app-web");
    sandbox.tick(Timeline.HEALTH_RECOVERY_SECONDS);
    EnvironmentDescription recovered = sandbox.describe("app-web");

    assertThat(updating.statusAsString()).isEqualTo("Updating");
    assertThat(updating.versionLabel()).isEqualTo("v2");
    assertThat(failed.statusAsString()).isEqualTo("Ready");
    assertThat(failed.versionLabel()).isEqualTo("v1");
    assertThat(failed.healthAsString()).isEqualTo("Red");
    assertThat(failed.healthStatusAsString()).isEqualTo("Severe");
    assertThat(failed.abortableOperationInProgress()).isFalse();
    assertThat(recovered.healthAsString()).isEqualTo("Green");
    assertThat(recovered.versionLabel()).isEqualTo("v1");
    List<String> events = oldestFirst(eventsSince("app-web", since));
    assertThat(events.get(0)).isEqualTo("INFO Environment update is starting.");
    assertThat(events.get(1)).isEqualTo("INFO Deploying new version to instance(s).");
    assertThat(events.get(2))
        .isEqualTo("ERROR Instance deployment failed. For details, see 'eb-engine.log'.");
    assertThat(events.get(3))
        .matches(
            "ERROR \\[Instance: i-0[0-9a-f]{16}\\] Command failed on instance\\. Return code: 1"
                + " Output: .*");
    assertThat(events.get(4))
        .isEqualTo(
            "INFO Command execution completed on all instances. Summary: [Successful: 0, Failed:"
                + " 1].");
    assertThat(events.get(5))
        .matches(
            "ERROR Unsuccessful command execution on instance id\\(s\\) 'i-0[0-9a-f]{16}'\\."
                + " Aborting the operation\\.");
    assertThat(events.get(6)).isEqualTo("ERROR Failed to deploy application.");
    assertThat(events.get(7))
        .isEqualTo(
            "WARN Environment health has transitioned from Ok to Severe. Command failed on all"
                + " instances.");
    assertThat(events.get(8))
        .isEqualTo(
            "ERROR Update environment operation is complete, but with errors. For more"
                + " information, see troubleshooting documentation.");
    assertThat(events.get(9))
        .isEqualTo("INFO Environment health has transitioned from Severe to Ok.");
    assertThat(events).hasSize(10);
    assertThat(sandbox.faults.active()).isEmpty();
  }

  @Test
  void instanceFailure_secondDeploy_succeeds() {
    webOnV1("app-web");
    sandbox.faults.add(Fault.instanceFailure("app-web"));
    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS);

    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS);

    EnvironmentDescription e = sandbox.describe("app-web");
    assertThat(e.statusAsString()).isEqualTo("Ready");
    assertThat(e.versionLabel()).isEqualTo("v2");
    assertThat(e.healthAsString()).isEqualTo("Green");
  }

  @Test
  void hang_deploy_staysUpdatingUntilAborted() {
    Instant since = webOnV1("app-web");
    sandbox.faults.add(Fault.hang("app-web"));

    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));
    sandbox.tick(3600);
    EnvironmentDescription hung = sandbox.describe("app-web");
    sandbox.eb().abortEnvironmentUpdate(b -> b.environmentName("app-web"));
    EnvironmentDescription aborting = sandbox.describe("app-web");
    sandbox.tick(Timeline.ABORT_SECONDS);
    EnvironmentDescription aborted = sandbox.describe("app-web");

    assertThat(hung.statusAsString()).isEqualTo("Updating");
    assertThat(hung.abortableOperationInProgress()).isTrue();
    assertThat(hung.versionLabel()).isEqualTo("v2");
    assertThat(aborting.statusAsString()).isEqualTo("Aborting");
    assertThat(aborting.abortableOperationInProgress()).isFalse();
    assertThat(aborted.statusAsString()).isEqualTo("Ready");
    assertThat(aborted.versionLabel()).isEqualTo("v1");
    assertThat(aborted.healthAsString()).isEqualTo("Green");
    assertThat(oldestFirst(eventsSince("app-web", since)))
        .containsExactly(
            "INFO Environment update is starting.",
            "INFO Deploying new version to instance(s).",
            "INFO Abort environment update operation requested by user.",
            "WARN " + UpdateActions.ABORTED_DEPLOYMENT_WARNING,
            "INFO The environment was reverted to the previous configuration setting.");
  }

  @Test
  void abortEnvironmentUpdate_nothingInProgress_failsWithInvalidState() {
    webOnV1("app-web");

    assertThatThrownBy(() -> sandbox.eb().abortEnvironmentUpdate(b -> b.environmentName("app-web")))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "Environment named app-web is in an invalid state for this operation."
                          + " Must be pending deployment.");
            });
  }

  @Test
  void abortEnvironmentUpdate_normalDeploy_revertsToPreviousLabel() {
    webOnV1("app-web");
    sandbox.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));
    sandbox.tick(10);

    sandbox.eb().abortEnvironmentUpdate(b -> b.environmentName("app-web"));
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS + Timeline.ABORT_SECONDS);

    EnvironmentDescription e = sandbox.describe("app-web");
    assertThat(e.statusAsString()).isEqualTo("Ready");
    assertThat(e.versionLabel()).isEqualTo("v1");
  }

  @Test
  void instanceFailure_configurationUpdate_revertsOptions() {
    Instant since = webOnV1("app-web");
    sandbox.faults.add(Fault.instanceFailure("app-web"));

    sandbox
        .eb()
        .updateEnvironment(
            b ->
                b.environmentName("app-web")
                    .optionSettings(
                        o ->
                            o.namespace("aws:elasticbeanstalk:application:environment")
                                .optionName("FEATURE")
                                .value("on")));
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS);

    EnvironmentDescription e = sandbox.describe("app-web");
    assertThat(e.statusAsString()).isEqualTo("Ready");
    assertThat(e.versionLabel()).isEqualTo("v1");
    assertThat(
            sandbox
                .eb()
                .describeConfigurationSettings(
                    b -> b.applicationName("app").environmentName("app-web"))
                .configurationSettings()
                .get(0)
                .optionSettings())
        .noneMatch(o -> o.optionName().equals("FEATURE"));
    assertThat(oldestFirst(eventsSince("app-web", since)))
        .contains(
            "ERROR Failed to deploy configuration.",
            "INFO The environment was reverted to the previous configuration setting.",
            "ERROR " + UpdateActions.UPDATE_FAILED);
  }

  @Test
  void configureEnvironment_workerYellow_staysYellowAfterDeploy() {
    sandbox.appWithVersions("app", "v1", "v2");
    sandbox.eb.configureEnvironment("app-worker", 30.0, "Yellow");
    sandbox.createEnvironment(
        "app",
        "app-worker",
        b -> b.tier(t -> t.name("Worker").type("SQS/HTTP")).versionLabel("v1"));
    sandbox.tick(Timeline.LAUNCH_SECONDS + 10);
    assertThat(sandbox.describe("app-worker").healthAsString()).isEqualTo("Yellow");

    sandbox.eb().updateEnvironment(b -> b.environmentName("app-worker").versionLabel("v2"));
    sandbox.tick(29);
    assertThat(sandbox.describe("app-worker").statusAsString()).isEqualTo("Updating");
    sandbox.tick(1);

    EnvironmentDescription e = sandbox.describe("app-worker");
    assertThat(e.statusAsString()).isEqualTo("Ready");
    assertThat(e.versionLabel()).isEqualTo("v2");
    assertThat(e.healthAsString()).isEqualTo("Yellow");
    assertThat(e.healthStatusAsString()).isEqualTo("Warning");
  }

  @Test
  void updateEnvironment_optionSettingsOnly_updatesConfigurationInHalfTheTime() {
    Instant since = webOnV1("app-web");

    sandbox
        .eb()
        .updateEnvironment(
            b ->
                b.environmentName("app-web")
                    .optionSettings(
                        o -> o.namespace("aws:autoscaling:asg").optionName("MaxSize").value("2")));
    sandbox.tick(Timeline.DEFAULT_DEPLOY_SECONDS / 2);

    assertThat(sandbox.describe("app-web").statusAsString()).isEqualTo("Ready");
    assertThat(oldestFirst(eventsSince("app-web", since)))
        .containsExactly(
            "INFO Updating environment app-web's configuration settings.",
            "INFO Successfully deployed new configuration to environment.",
            "INFO Environment update completed successfully.");
    assertThat(
            sandbox
                .eb()
                .describeConfigurationSettings(
                    b -> b.applicationName("app").environmentName("app-web"))
                .configurationSettings()
                .get(0)
                .optionSettings())
        .anyMatch(o -> o.optionName().equals("MaxSize") && o.value().equals("2"));
  }

  @Test
  void updateEnvironment_unknownVersionLabel_failsWithInvalidParameterValue() {
    webOnV1("app-web");

    assertThatThrownBy(
            () ->
                sandbox
                    .eb()
                    .updateEnvironment(b -> b.environmentName("app-web").versionLabel("v9")))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("No Application Version named 'v9' found.");
            });
  }

  @Test
  void updateEnvironment_unknownEnvironment_failsWithNoEnvironmentFound() {
    sandbox.appWithVersions("app", "v1");

    assertThatThrownBy(
            () ->
                sandbox
                    .eb()
                    .updateEnvironment(b -> b.environmentName("nope-env").versionLabel("v1")))
        .isInstanceOfSatisfying(
            ElasticBeanstalkException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("No Environment found for EnvironmentName = 'nope-env'."));
  }
}
