package io.ebdeploy.api;

import java.util.List;
import java.util.Set;

/** Where a group's environments stand now. Immutable. */
public interface GroupStatus {
  String group();

  String application();

  /** Name order. */
  List<EnvironmentInfo> environments();

  /** The distinct deployed labels. */
  Set<String> labels();

  /** True when the environments run different labels: a deploy went half way. */
  default boolean labelsDiffer() {
    return labels().size() > 1;
  }

  /** Pretty-printed JSON of the status. */
  String toJson();
}
