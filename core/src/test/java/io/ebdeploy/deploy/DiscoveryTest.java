package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployPlan;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.api.Role;
import io.ebdeploy.sandbox.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and the refusals before any change, against the sandbox through the real SDK. */
class DiscoveryTest {
  @TempDir Path dir;
  SandboxFixture fx;
  Path zip;

  @BeforeEach
  void start() throws Exception {
    fx = new SandboxFixture();
    zip = SandboxFixture.zip(dir, "app.zip", "print('v1')");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private EbDeployException refused(EbDeploy deploy) {
    fx.sandbox.clearCalls();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(deploy::plan);
    assertThat(t).isInstanceOf(EbDeployException.class);
    EbDeployException e = (EbDeployException) t;
    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(fx.mutatingCalls()).isEmpty();
    return e;
  }

  @Test
  void plan_webAndWorker_migratorFirstThenWorkerAndNoMutatingCall() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of("iaso-staging-worker"));
    fx.sandbox.clearCalls();

    DeployPlan plan = fx.forBundle(zip, "staging", "v1.0").plan();

    assertThat(plan.application()).isEqualTo("Iaso");
    assertThat(plan.environments())
        .extracting(EnvironmentInfo::name)
        .containsExactly("iaso-staging-web", "iaso-staging-worker");
    assertThat(plan.migrator()).contains("iaso-staging-web");
    assertThat(plan.waves())
        .containsExactly(List.of("iaso-staging-web"), List.of("iaso-staging-worker"));
    assertThat(plan.roles())
        .containsEntry("iaso-staging-web", Role.WEB)
        .containsEntry("iaso-staging-worker", Role.WORKER);
    assertThat(plan.bundle().key()).isEqualTo("Iaso/v1.0-" + plan.bundle().sha8() + ".zip");
    assertThat(plan.bundleEntries()).containsExactly("application.py");
    assertThat(plan.versionExists()).isFalse();
    assertThat(fx.mutatingCalls()).isEmpty();
    assertThat(fx.calls("GetResources")).hasSize(1);
    assertThat(plan.toJson()).contains("\"migrator\" : \"iaso-staging-web\"");
  }

  @Test
  void plan_noTaggedEnvironment_messageListsExistingValues() {
    fx.group("Iaso", "production", List.of("iaso-prod-web"), List.of());
    fx.application("Other");
    fx.environment("Other", "other-dev-web", false, "dev");
    fx.awaitReady("other-dev-web");

    EbDeployException e = refused(fx.forBundle(zip, "staging", "v1.0"));

    assertThat(e.getMessage())
        .contains("env=staging")
        .contains("the values of tag env are: dev, production");
  }

  @Test
  void plan_tagKeyUnknown_messageSaysSo() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());

    EbDeployException e =
        refused(
            fx.client(
                EbDeploy.forBundle(zip)
                    .group("staging")
                    .label("v1")
                    .config(fx.config().tag("stage").build())));

    assertThat(e.getMessage()).contains("no resource has the tag key stage");
  }

  @Test
  void plan_twoApplications_refused() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());
    fx.group("Other", "staging", List.of("other-staging-web"), List.of());

    EbDeployException e = refused(fx.forBundle(zip, "staging", "v1.0"));

    assertThat(e.getMessage())
        .contains("spans 2 applications")
        .contains("Iaso: iaso-staging-web")
        .contains("Other: other-staging-web");
  }

  @Test
  void plan_configuredApplicationDiffers_refused() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());

    EbDeployException e =
        refused(
            fx.client(
                EbDeploy.forBundle(zip)
                    .group("staging")
                    .label("v1")
                    .config(fx.config().application("Graasp").build())));

    assertThat(e.getMessage()).contains("Graasp").contains("belongs to Iaso");
  }

  @Test
  void plan_environmentStuckUpdating_refusedAfterReadyWait() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of("iaso-staging-worker"));
    fx.sandbox.inject(Fault.hang("iaso-staging-worker"));
    fx.eb.updateEnvironment(
        b ->
            b.environmentName("iaso-staging-worker")
                .optionSettings(
                    o ->
                        o.namespace("aws:elasticbeanstalk:application:environment")
                            .optionName("DEBUG")
                            .value("1")));
    DeployConfig config =
        fx.config()
            .timeouts(
                new DeployConfig.Timeouts(
                    Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(3)))
            .build();
    long start = System.nanoTime();

    EbDeployException e =
        refused(fx.client(EbDeploy.forBundle(zip).group("staging").label("v1").config(config)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(300));
    assertThat(e.getMessage())
        .contains("iaso-staging-worker is Updating, not Ready, after waiting 300ms")
        .contains("timeouts.ready-wait");
  }

  @Test
  void plan_environmentUpdatingBriefly_waitsThenPlans() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());
    fx.eb.updateEnvironment(
        b ->
            b.environmentName("iaso-staging-web")
                .optionSettings(
                    o ->
                        o.namespace("aws:elasticbeanstalk:application:environment")
                            .optionName("DEBUG")
                            .value("1")));
    fx.sandbox.clearCalls();

    DeployPlan plan = fx.forBundle(zip, "staging", "v1").plan();

    assertThat(plan.environments()).extracting(EnvironmentInfo::status).containsExactly("Ready");
    assertThat(fx.mutatingCalls()).isEmpty();
  }

  @Test
  void plan_terminatedEnvironments_ignored() {
    fx.group(
        "Iaso",
        "staging",
        List.of("iaso-staging-web"),
        List.of("iaso-staging-worker", "iaso-staging-old1", "iaso-staging-old2"));
    fx.eb.terminateEnvironment(b -> b.environmentName("iaso-staging-old1"));
    fx.eb.terminateEnvironment(b -> b.environmentName("iaso-staging-old2"));
    SandboxFixture.sleep(300); // old1 and old2 Terminated (120 simulated seconds)
    fx.environment("Iaso", "iaso-staging-old3", true, "staging");
    fx.awaitReady("iaso-staging-old3");
    fx.eb.terminateEnvironment(b -> b.environmentName("iaso-staging-old3")); // Terminating
    fx.sandbox.clearCalls();

    DeployPlan plan = fx.forBundle(zip, "staging", "v1").plan();

    assertThat(plan.environments())
        .extracting(EnvironmentInfo::name)
        .containsExactly("iaso-staging-web", "iaso-staging-worker");
    assertThat(fx.mutatingCalls()).isEmpty();
  }

  @Test
  void plan_platformMismatch_refusedNamingEnvironmentAndArn() {
    fx.application("Iaso");
    fx.environment("Iaso", "iaso-staging-web", false, "staging");
    fx.environment(
        "Iaso", "iaso-staging-worker", true, Map.of("env", "staging"), SandboxFixture.DOCKER);
    fx.awaitReady("iaso-staging-web", "iaso-staging-worker");

    EbDeployException e =
        refused(
            fx.client(
                EbDeploy.forBundle(zip)
                    .group("staging")
                    .label("v1")
                    .config(fx.config().platform(Pattern.compile("Python")).build())));

    assertThat(e.getMessage())
        .contains("iaso-staging-worker runs " + SandboxFixture.DOCKER)
        .doesNotContain("iaso-staging-web runs")
        .contains("\"Python\"");
  }

  @Test
  void plan_migratorIsWorker_refused() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of("iaso-staging-worker"));

    EbDeployException e =
        refused(
            fx.client(
                EbDeploy.forBundle(zip)
                    .group("staging")
                    .label("v1")
                    .config(
                        fx.config()
                            .migration(
                                new DeployConfig.Migration(
                                    DeployConfig.MigrationPolicy.WEB_FIRST,
                                    Optional.of("iaso-staging-worker")))
                            .build())));

    assertThat(e.getMessage())
        .contains("iaso-staging-worker is a worker")
        .contains("iaso-staging-web");
  }

  @Test
  void plan_migratorNotInGroup_refused() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of("iaso-staging-worker"));

    EbDeployException e =
        refused(
            fx.client(
                EbDeploy.forBundle(zip)
                    .group("staging")
                    .label("v1")
                    .config(
                        fx.config()
                            .migration(
                                new DeployConfig.Migration(
                                    DeployConfig.MigrationPolicy.WEB_FIRST,
                                    Optional.of("iaso-prod-web")))
                            .build())));

    assertThat(e.getMessage()).contains("iaso-prod-web is not in the group");
  }

  @Test
  void plan_tagValueInOtherCase_matchesEveryCaseVariant() {
    fx.application("Iaso");
    fx.environment("Iaso", "iaso-staging-web", false, "Staging");
    fx.environment("Iaso", "iaso-staging-worker", true, "staging");
    fx.awaitReady("iaso-staging-web", "iaso-staging-worker");

    DeployPlan plan = fx.forBundle(zip, "STAGING", "v1").plan();

    assertThat(plan.environments()).hasSize(2);
    assertThat(fx.calls("GetResources")).hasSize(1);
  }

  @Test
  void plan_environmentName_deploysJustThatOne() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of("iaso-staging-worker"));

    DeployPlan plan = fx.forBundle(zip, "iaso-staging-worker", "v1").plan();

    assertThat(plan.environments())
        .extracting(EnvironmentInfo::name)
        .containsExactly("iaso-staging-worker");
    assertThat(plan.migrator()).isEmpty();
    assertThat(plan.roles()).containsEntry("iaso-staging-worker", Role.WORKER);
  }

  @Test
  void status_group_listsEnvironmentsWithoutValidating() {
    fx.application("Iaso");
    fx.environment("Iaso", "iaso-staging-web", false, "staging");
    fx.environment(
        "Iaso", "iaso-staging-worker", true, Map.of("env", "staging"), SandboxFixture.DOCKER);
    fx.awaitReady("iaso-staging-web", "iaso-staging-worker");
    fx.sandbox.clearCalls();

    GroupStatus status =
        fx.client(
                EbDeploy.forGroup("staging")
                    .config(fx.config().platform(Pattern.compile("Python")).build()))
            .status();

    assertThat(status.application()).isEqualTo("Iaso");
    assertThat(status.environments())
        .extracting(EnvironmentInfo::name, EnvironmentInfo::status)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("iaso-staging-web", "Ready"),
            org.assertj.core.api.Assertions.tuple("iaso-staging-worker", "Ready"));
    assertThat(status.labelsDiffer()).isFalse();
    assertThat(fx.mutatingCalls()).isEmpty();
    assertThat(fx.calls("UpdateEnvironment")).isEmpty();
  }

  @Test
  void plan_bundleMissing_refused() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());

    EbDeployException e = refused(fx.forBundle(dir.resolve("missing.zip"), "staging", "v1"));

    assertThat(e.getMessage()).contains("missing.zip does not exist");
  }

  @Test
  void plan_noLabelForZip_refused() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());

    EbDeployException e =
        refused(fx.client(EbDeploy.forBundle(zip).group("staging").config(fx.config().build())));

    assertThat(e.getMessage()).contains("--label");
    assertThatThrownBy(() -> EbDeploy.forBundle(zip).plan())
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("no group");
  }

  @Test
  void deploy_noBundle_refusedWithoutAnyCall() {
    fx.group("Iaso", "staging", List.of("iaso-staging-web"), List.of());
    fx.sandbox.clearCalls();

    assertThatThrownBy(
            () -> fx.client(EbDeploy.forGroup("staging").config(fx.config().build())).deploy())
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("nothing to deploy");

    assertThat(fx.sandbox.calls()).isEmpty();
  }
}
