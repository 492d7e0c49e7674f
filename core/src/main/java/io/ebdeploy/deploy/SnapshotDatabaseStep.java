package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * {@code database.snapshot-before-migrate}: a manual RDS snapshot of the instance, taken after the
 * application version is ready and before the migrator deploys, and waited for until {@code
 * available} (bounded by {@code timeouts.deploy}). Its id, {@code
 * eb-deploy-<group>-<label>-<yyyyMMddHHmmss>}, is in the result: the way back for the data, which a
 * code rollback never reverts.
 */
final class SnapshotDatabaseStep {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private SnapshotDatabaseStep() {}

  /** The snapshot's id, or empty when the option is off. */
  static Optional<String> run(DeployContext ctx) {
    Optional<String> instance = ctx.request().config().database().snapshotBeforeMigrate();
    if (instance.isEmpty()) {
      return Optional.empty();
    }
    RdsClient rds = ctx.aws().rds();
    Instant start = ctx.events().now();
    String id = snapshotId(ctx.request().group(), ctx.label(), start);
    ctx.events().emit(new DeployEvent.SnapshotStarted(start, instance.get(), id));
    Aws.call(
        "CreateDBSnapshot",
        () ->
            rds.createDBSnapshot(
                b -> b.dbInstanceIdentifier(instance.get()).dbSnapshotIdentifier(id)));
    Duration timeout = ctx.request().config().timeouts().deploy();
    Instant deadline = start.plus(timeout);
    Duration interval = ctx.pacing().initial();
    while (true) {
      DBSnapshot s =
          Aws.call(
                  "DescribeDBSnapshots",
                  () -> rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(id)))
              .dbSnapshots()
              .stream()
              .findFirst()
              .orElseThrow(
                  () ->
                      new EbDeployException(
                          EbDeployException.Kind.AWS_ERROR,
                          "RDS snapshot " + id + " disappeared while being created"));
      String status = s.status() == null ? "" : s.status().toLowerCase(Locale.ROOT);
      if (status.equals("available")) {
        ctx.events()
            .emit(
                new DeployEvent.SnapshotDone(
                    ctx.events().now(), id, Duration.between(start, ctx.events().now())));
        return Optional.of(id);
      }
      if (status.equals("failed") || status.equals("error") || status.equals("deleted")) {
        throw new EbDeployException(
            EbDeployException.Kind.AWS_ERROR,
            "RDS snapshot " + id + " of " + instance.get() + " ended " + s.status());
      }
      if (!ctx.events().now().isBefore(deadline)) {
        throw new EbDeployException(
            EbDeployException.Kind.AWS_ERROR,
            "RDS snapshot "
                + id
                + " of "
                + instance.get()
                + " is still "
                + s.status()
                + " after "
                + FindEnvironmentsStep.human(timeout)
                + " (timeouts.deploy); no environment was updated");
      }
      Interrupts.check(ctx, "no environment was updated (the snapshot " + id + " goes on in RDS)");
      interval = ctx.pacing().next(interval, false);
      ctx.pacing().sleep(interval);
    }
  }

  /**
   * {@code eb-deploy-<group>-<label>-<yyyyMMddHHmmss>}, lower case, within RDS's rules: letters,
   * digits and single hyphens, starting with a letter, at most 255 characters.
   */
  static String snapshotId(String group, String label, Instant at) {
    String raw = "eb-deploy-" + group + "-" + label;
    String clean = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+", "-");
    String stamp = "-" + STAMP.format(at);
    int max = 255 - stamp.length();
    if (clean.length() > max) {
      clean = clean.substring(0, max);
    }
    clean = clean.replaceAll("-+$", "");
    return clean + stamp;
  }
}
