package io.ebdeploy.deploy;

import io.ebdeploy.api.EnvironmentInfo;
import java.util.List;

/**
 * The environments a group names, as discovery left them: live (not terminated), of one
 * application, on an accepted platform, and Ready.
 */
record DiscoveredGroup(
    String group,
    String application,
    List<EnvironmentInfo> environments,
    List<String> matchedTagValues) {
  DiscoveredGroup {
    environments = List.copyOf(environments);
    matchedTagValues = List.copyOf(matchedTagValues);
  }

  List<String> ids() {
    return environments.stream().map(EnvironmentInfo::id).toList();
  }

  EnvironmentInfo byName(String name) {
    return environments.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }
}
