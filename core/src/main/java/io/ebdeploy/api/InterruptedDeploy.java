package io.ebdeploy.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A deploy or rollback that was killed (SIGKILL, a lost machine) and left its record behind, {@code
 * eb-deploy/<application>/<group>/deploy.json}, as the next run found it, and, once converged, how
 * it ended.
 *
 * @param id the killed run's id
 * @param command {@code deploy} or {@code rollback}
 * @param label its target label
 * @param who who ran it
 * @param host where it ran
 * @param startedAt when it began
 * @param updatedAt the record's last update
 * @param phase how far it got: {@code preparing} (no environment updated), {@code deploying},
 *     {@code rolling-back}, or {@code finished} (only its history entry was missing)
 * @param previousLabels each environment's label before it (empty before the first update)
 * @param convergedTo once the next run converged the group: {@code succeeded} (its updates had
 *     completed), {@code rolled-back}, {@code rollback-failed} or {@code interrupted} (nothing had
 *     been updated); empty while not converged (status)
 */
public record InterruptedDeploy(
    String id,
    String command,
    String label,
    String who,
    String host,
    Instant startedAt,
    Instant updatedAt,
    String phase,
    Map<String, String> previousLabels,
    Optional<String> convergedTo) {
  public InterruptedDeploy {
    previousLabels =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(previousLabels));
  }
}
