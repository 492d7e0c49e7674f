package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;

class EbPersistenceTest {
  @TempDir Path state;

  @Test
  void restart_midDeploy_resumesAndFinishesTheDeploy() {
    String requestId;
    try (EbSandbox first = new EbSandbox(0.001, state)) {
      first.eb.configureEnvironment("app-web", 200.0, null);
      first.appWithVersions("app", "v1", "v2");
      first.readyWeb("app", "app-web", "v1");
      requestId =
          first
              .eb()
              .updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"))
              .responseMetadata()
              .requestId();
      assertThat(first.describe("app-web").statusAsString()).isEqualTo("Updating");
    }
    assertThat(Files.exists(state.resolve("eb.json"))).isTrue();

    try (EbSandbox second = new EbSandbox(0.001, state)) {
      EnvironmentDescription resumed = second.describe("app-web");
      EnvironmentDescription done =
          second.await("app-web", e -> e.statusAsString().equals("Ready"));

      assertThat(resumed.versionLabel()).isEqualTo("v2");
      assertThat(done.versionLabel()).isEqualTo("v2");
      assertThat(done.healthAsString()).isEqualTo("Green");
      assertThat(second.eb().describeEvents(b -> b.requestId(requestId)).events())
          .extracting(e -> e.message())
          .first()
          .isEqualTo("Environment update completed successfully.");
      assertThat(
              second
                  .eb()
                  .describeApplicationVersions(b -> b.applicationName("app"))
                  .applicationVersions())
          .hasSize(2);
    }
  }

  @Test
  void restart_hungDeployAndBehaviour_areKept() {
    try (EbSandbox first = new EbSandbox(0.001, state)) {
      first.eb.configureEnvironment("app-web", 5.0, "Yellow");
      first.appWithVersions("app", "v1", "v2");
      first.createEnvironment("app", "app-web", b -> b.versionLabel("v1"));
      first.await("app-web", e -> "Warning".equals(e.healthStatusAsString()));
      first.faults.add(Fault.hang("app-web"));
      first.eb().updateEnvironment(b -> b.environmentName("app-web").versionLabel("v2"));
    }

    try (EbSandbox second = new EbSandbox(0.001, state)) {
      EbSandbox.sleep(20);
      assertThat(second.describe("app-web").statusAsString()).isEqualTo("Updating");
      second.eb().abortEnvironmentUpdate(b -> b.environmentName("app-web"));
      EnvironmentDescription e = second.await("app-web", d -> d.statusAsString().equals("Ready"));

      assertThat(e.versionLabel()).isEqualTo("v1");
      assertThat(e.healthAsString()).isEqualTo("Yellow");
    }
  }
}
