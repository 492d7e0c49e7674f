package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.api.DeployConfig.Migration;
import io.ebdeploy.api.DeployConfig.MigrationPolicy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupOrderTest {
  private static EnvironmentInfo env(String name, Tier tier) {
    return new EnvironmentInfo(name, "e-" + name, "App", tier, "v1", "Ready", "Green", "arn");
  }

  static final List<EnvironmentInfo> GROUP =
      List.of(
          env("worker-b", Tier.WORKER),
          env("web-b", Tier.WEB),
          env("worker-a", Tier.WORKER),
          env("web-a", Tier.WEB));

  @Test
  void of_webFirstDefault_firstWebByNameMigratesAlone() {
    GroupOrder o = GroupOrder.of(GROUP, new Migration(MigrationPolicy.WEB_FIRST, Optional.empty()));
    assertThat(o.migrator()).contains("web-a");
    assertThat(o.waves())
        .containsExactly(List.of("web-a"), List.of("web-b", "worker-a", "worker-b"));
    assertThat(o.roles())
        .containsEntry("web-a", Role.WEB)
        .containsEntry("web-b", Role.WEB_SECONDARY)
        .containsEntry("worker-a", Role.WORKER)
        .containsEntry("worker-b", Role.WORKER);
  }

  @Test
  void of_configuredMigrator_usedAndRolesFollow() {
    GroupOrder o =
        GroupOrder.of(GROUP, new Migration(MigrationPolicy.WEB_FIRST, Optional.of("web-b")));
    assertThat(o.migrator()).contains("web-b");
    assertThat(o.roles())
        .containsEntry("web-b", Role.WEB)
        .containsEntry("web-a", Role.WEB_SECONDARY);
    assertThat(o.waves().get(0)).containsExactly("web-b");
  }

  @Test
  void of_parallel_oneWaveStillOneMigrator() {
    GroupOrder o = GroupOrder.of(GROUP, new Migration(MigrationPolicy.PARALLEL, Optional.empty()));
    assertThat(o.waves()).hasSize(1);
    assertThat(o.waves().get(0)).hasSize(4);
    assertThat(o.roles().values().stream().filter(r -> r == Role.WEB)).hasSize(1);
  }

  @Test
  void of_workersOnly_noMigratorOneWave() {
    GroupOrder o =
        GroupOrder.of(
            List.of(env("worker-a", Tier.WORKER), env("worker-b", Tier.WORKER)),
            new Migration(MigrationPolicy.WEB_FIRST, Optional.empty()));
    assertThat(o.migrator()).isEmpty();
    assertThat(o.waves()).containsExactly(List.of("worker-a", "worker-b"));
    assertThat(o.roles().values()).containsOnly(Role.WORKER);
  }

  @Test
  void of_migratorIsWorker_refused() {
    assertThatThrownBy(
            () ->
                GroupOrder.of(
                    GROUP, new Migration(MigrationPolicy.WEB_FIRST, Optional.of("worker-a"))))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("worker-a is a worker")
        .hasMessageContaining("[web-a, web-b]");
  }

  @Test
  void of_migratorUnknown_refused() {
    assertThatThrownBy(
            () -> GroupOrder.of(GROUP, new Migration(MigrationPolicy.PARALLEL, Optional.of("x"))))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("x is not in the group");
  }
}
