package io.ebdeploy.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who holds a group's deploy lock: an S3 object in Beanstalk's storage bucket, {@code
 * eb-deploy/<application>/<group>/lock.json}, written with {@code If-None-Match: *} and kept alive
 * by a heartbeat.
 *
 * @param owner who deploys (the CI actor, else the user)
 * @param host the machine
 * @param pid the process id on that machine
 * @param ciRunUrl the CI run, when known (GitHub Actions, GitLab, Jenkins, CircleCI, Buildkite)
 * @param command {@code deploy} or {@code rollback}
 * @param label the label being deployed (the rollback's target)
 * @param startedAt when the lock was taken
 * @param heartbeatAt the holder's last heartbeat
 * @param ttl after this long without a heartbeat the lock may be taken over
 */
public record LockInfo(
    String owner,
    String host,
    long pid,
    Optional<String> ciRunUrl,
    String command,
    String label,
    Instant startedAt,
    Instant heartbeatAt,
    Duration ttl) {

  /** How long ago the last heartbeat was. */
  public Duration heartbeatAge(Instant now) {
    return Duration.between(heartbeatAt, now);
  }

  /** True when the heartbeat is older than the TTL: the holder is presumed dead. */
  public boolean stale(Instant now) {
    return heartbeatAge(now).compareTo(ttl) > 0;
  }

  /** One line naming the holder, for messages. */
  public String describe(Instant now) {
    return owner
        + " on "
        + host
        + " (pid "
        + pid
        + ciRunUrl.map(u -> ", " + u).orElse("")
        + "), "
        + command
        + " of "
        + label
        + " since "
        + startedAt
        + ", last heartbeat "
        + Math.max(0, heartbeatAge(now).toSeconds())
        + "s ago";
  }
}
