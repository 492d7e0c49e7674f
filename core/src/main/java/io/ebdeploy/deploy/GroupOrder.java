package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig.Migration;
import io.ebdeploy.api.DeployConfig.MigrationPolicy;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who migrates and in which order the group is updated. The migrator is the web environment named
 * in {@code migration.migrator}, else the first web environment by name; it gets {@code
 * EB_DEPLOY_ROLE=web}, other web environments {@code web-secondary}, workers {@code worker}. A
 * group without a web environment has no migrator. Under web-first the migrator is a wave of its
 * own.
 */
record GroupOrder(
    MigrationPolicy policy,
    Optional<String> migrator,
    Map<String, Role> roles,
    List<List<String>> waves) {

  GroupOrder {
    roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    waves = waves.stream().map(List::copyOf).toList();
  }

  /** Throws INVALID_INPUT when the configured migrator is not a web environment of the group. */
  static GroupOrder of(List<EnvironmentInfo> environments, Migration migration) {
    List<EnvironmentInfo> sorted =
        environments.stream().sorted(Comparator.comparing(EnvironmentInfo::name)).toList();
    List<String> webs =
        sorted.stream().filter(e -> e.tier() == Tier.WEB).map(EnvironmentInfo::name).toList();
    Optional<String> migrator;
    if (migration.migrator().isPresent()) {
      String wanted = migration.migrator().get();
      EnvironmentInfo m =
          sorted.stream()
              .filter(e -> e.name().equals(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      EbDeployException.invalidInput(
                          "migration.migrator: "
                              + wanted
                              + " is not in the group (its environments: "
                              + String.join(
                                  ", ", sorted.stream().map(EnvironmentInfo::name).toList())
                              + "); name one of its web environments or remove the key"));
      if (m.tier() != Tier.WEB) {
        throw EbDeployException.invalidInput(
            "migration.migrator: "
                + wanted
                + " is a worker environment; migrations run on a web environment: "
                + (webs.isEmpty()
                    ? "the group has none, so remove the key"
                    : "name one of " + webs));
      }
      migrator = Optional.of(wanted);
    } else {
      migrator = webs.stream().findFirst();
    }
    Map<String, Role> roles = new LinkedHashMap<>();
    List<String> others = new ArrayList<>();
    migrator.ifPresent(name -> roles.put(name, Role.WEB));
    for (EnvironmentInfo e : sorted) {
      if (migrator.isPresent() && migrator.get().equals(e.name())) {
        continue;
      }
      roles.put(e.name(), e.tier() == Tier.WORKER ? Role.WORKER : Role.WEB_SECONDARY);
      others.add(e.name());
    }
    List<List<String>> waves = new ArrayList<>();
    if (migration.policy() == MigrationPolicy.WEB_FIRST && migrator.isPresent()) {
      waves.add(List.of(migrator.get()));
      if (!others.isEmpty()) {
        waves.add(others);
      }
    } else {
      waves.add(List.copyOf(roles.keySet()));
    }
    return new GroupOrder(migration.policy(), migrator, roles, waves);
  }
}
