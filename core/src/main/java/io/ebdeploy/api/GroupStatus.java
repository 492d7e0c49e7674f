package io.ebdeploy.api;

import java.util.List;
import java.util.Optional;
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

  /** Who holds the group's deploy lock, if anyone. */
  default Optional<LockInfo> lock() {
    return Optional.empty();
  }

  /** A deploy that was killed and not yet converged (the next deploy or rollback will). */
  default Optional<InterruptedDeploy> interruptedDeploy() {
    return Optional.empty();
  }

  /** The group's last deploys and rollbacks, newest first (at most 10). */
  default List<HistoryEntry> history() {
    return List.of();
  }

  /** Pretty-printed JSON of the status. */
  String toJson();
}
