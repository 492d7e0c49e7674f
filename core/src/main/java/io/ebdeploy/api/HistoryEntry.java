package io.ebdeploy.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One deploy or rollback of a group, as its history in S3 ({@code
 * eb-deploy/<application>/<group>/history.json}) keeps it.
 *
 * @param id the run's id
 * @param command {@code deploy} or {@code rollback}
 * @param label the label deployed (the rollback's target)
 * @param outcome {@code succeeded}, {@code rolled-back}, {@code rollback-failed}, {@code
 *     interrupted}, or {@code failed} (stopped before any environment was updated)
 * @param startedAt when it began
 * @param finishedAt when it ended (for an interrupted run: when the next run converged the group)
 * @param who the deployer
 * @param ciRunUrl the CI run, when known
 * @param previousLabels each environment's label before it
 * @param labelsAfter each environment's label after it
 * @param consistentLabel the one label the whole group ran afterwards; empty when it was split
 * @param reason why it failed, if it did
 * @param recovered true when another run finished it (it had been killed)
 */
public record HistoryEntry(
    String id,
    String command,
    String label,
    String outcome,
    Instant startedAt,
    Instant finishedAt,
    String who,
    Optional<String> ciRunUrl,
    Map<String, String> previousLabels,
    Map<String, String> labelsAfter,
    Optional<String> consistentLabel,
    Optional<String> reason,
    boolean recovered) {
  public HistoryEntry {
    previousLabels =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(previousLabels));
    labelsAfter = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labelsAfter));
  }
}
